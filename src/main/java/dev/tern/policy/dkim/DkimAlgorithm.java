package dev.tern.policy.dkim;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Locale;
import java.util.Optional;

/**
 * The signing algorithms Tern signs and accepts. rsa-sha1 is deliberately absent: RFC 8301 §3.1 forbids signing
 * with it and verifiers must not consider it valid.
 */
public enum DkimAlgorithm {
    /** RFC 6376 §3.3.2; RFC 8301 §3.2: keys of at least 1024 bits, 2048 recommended. */
    RSA_SHA256("rsa-sha256", "rsa"),
    /** RFC 8463: Ed25519 (PureEdDSA) over the SHA-256 hash of the canonicalized header data. */
    ED25519_SHA256("ed25519-sha256", "ed25519");

    private final String tagValue;
    private final String keyType;

    DkimAlgorithm(String tagValue, String keyType) {
        this.tagValue = tagValue;
        this.keyType = keyType;
    }

    /** The {@code a=} value. */
    public String tagValue() {
        return tagValue;
    }

    /** The {@code k=} value of the key record, also the key file's suffix. */
    public String keyType() {
        return keyType;
    }

    public static Optional<DkimAlgorithm> fromTag(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        for (DkimAlgorithm a : values()) {
            if (a.tagValue.equals(lower)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public static Optional<DkimAlgorithm> fromKeyType(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        for (DkimAlgorithm a : values()) {
            if (a.keyType.equals(lower)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The JCA key algorithm name ({@code RSA}, {@code Ed25519}). */
    String jcaKeyAlgorithm() {
        return this == RSA_SHA256 ? "RSA" : "Ed25519";
    }

    /**
     * Signs with the engine the key was loaded for: libcrypto for a {@link LibCryptoRsaKey} ({@link RsaEngine}),
     * else the provider {@link SigningProviders} chose for this algorithm.
     */
    byte[] sign(PrivateKey key, byte[] headerData) throws GeneralSecurityException {
        if (key instanceof LibCryptoRsaKey rsa) {
            return rsa.sign(headerData);
        }
        Signature s = SigningProviders.signature(this);
        s.initSign(key);
        s.update(input(headerData));
        return s.sign();
    }

    /** Verifies with the provider {@link SigningProviders} chose for this algorithm and key. */
    boolean verify(PublicKey key, byte[] headerData, byte[] signature) throws GeneralSecurityException {
        Signature s = SigningProviders.verification(this, key);
        s.initVerify(key);
        s.update(input(headerData));
        return s.verify(signature);
    }

    /** RFC 8463 §3: Ed25519 signs the SHA-256 hash of the data; RSA's PKCS#1 v1.5 hashes it itself. */
    private byte[] input(byte[] headerData) {
        return this == ED25519_SHA256 ? BodyHasher.sha256().digest(headerData) : headerData;
    }
}
