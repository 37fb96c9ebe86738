package dev.tern.policy.dkim;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.Locale;
import java.util.Objects;

/**
 * A private signing key and where its public half is published: {@code <selector>._domainkey.<domain>}.
 *
 * @param domain    the signing domain, {@code d=} (A-label, lower case)
 * @param selector  the {@code s=} selector
 * @param algorithm what the key signs with
 * @param key       an RSA or Ed25519 private key matching {@code algorithm}; kept in the form the provider that
 *                  signs with it uses ({@link SigningProviders}), converted here once rather than per message
 */
public record DkimKey(String domain, String selector, DkimAlgorithm algorithm, PrivateKey key) {

    public DkimKey {
        Objects.requireNonNull(key, "key");
        domain = domain.toLowerCase(Locale.ROOT);
        if (!key.getAlgorithm().equalsIgnoreCase(algorithm.jcaKeyAlgorithm())
                && !(algorithm == DkimAlgorithm.ED25519_SHA256 && key.getAlgorithm().equalsIgnoreCase("EdDSA"))) {
            throw new IllegalArgumentException("a " + key.getAlgorithm() + " key cannot sign " + algorithm.tagValue());
        }
        key = forSigning(algorithm, key);
    }

    private static PrivateKey forSigning(DkimAlgorithm algorithm, PrivateKey key) {
        try {
            return SigningProviders.signingKey(algorithm, key);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign " + algorithm.tagValue() + " with this key: "
                    + e.getMessage(), e);
        }
    }

    /** The DNS name of the key record (RFC 6376 §3.6.2.1). */
    public String recordName() {
        return selector + "._domainkey." + domain;
    }

    @Override
    public String toString() {
        return "DkimKey[" + recordName() + " " + algorithm.tagValue() + "]";
    }
}
