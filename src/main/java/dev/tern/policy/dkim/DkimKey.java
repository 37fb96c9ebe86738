package dev.tern.policy.dkim;

import java.security.PrivateKey;
import java.util.Locale;
import java.util.Objects;

/**
 * A private signing key and where its public half is published: {@code <selector>._domainkey.<domain>}.
 *
 * @param domain    the signing domain, {@code d=} (A-label, lower case)
 * @param selector  the {@code s=} selector
 * @param algorithm what the key signs with
 * @param key       an RSA or Ed25519 private key matching {@code algorithm}
 */
public record DkimKey(String domain, String selector, DkimAlgorithm algorithm, PrivateKey key) {

    public DkimKey {
        Objects.requireNonNull(key, "key");
        domain = domain.toLowerCase(Locale.ROOT);
        if (!key.getAlgorithm().equalsIgnoreCase(algorithm.jcaKeyAlgorithm())
                && !(algorithm == DkimAlgorithm.ED25519_SHA256 && key.getAlgorithm().equalsIgnoreCase("EdDSA"))) {
            throw new IllegalArgumentException("a " + key.getAlgorithm() + " key cannot sign " + algorithm.tagValue());
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
