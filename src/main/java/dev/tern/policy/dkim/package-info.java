/**
 * DKIM (RFC 6376, RFC 8301, RFC 8463): signing outgoing mail with rsa-sha256 and ed25519-sha256, verifying every
 * signature of incoming mail into RFC 8601 results, the key records in DNS and the private keys on disk.
 * Works on the message octets (CRLF lines); the body is streamed, never held as text.
 *
 * <p>Signatures: Ed25519 by Bouncy Castle ({@link dev.tern.policy.dkim.SigningProviders}); RSA by OpenSSL's
 * libcrypto through {@code java.lang.foreign} where it can be used ({@link dev.tern.policy.dkim.RsaEngine},
 * {@code [dkim] crypto}), else by the JDK's provider, with the same octets either way.
 */
package dev.tern.policy.dkim;
