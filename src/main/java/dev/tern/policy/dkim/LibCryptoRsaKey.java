package dev.tern.policy.dkim;

import dev.tern.observe.MailLog;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;

/**
 * An RSA private key that signs rsa-sha256 through libcrypto ({@link LibCrypto}), keeping the JDK's key it was read
 * from: every getter answers from that key, so to the rest of Tern it is the same {@link RSAPrivateCrtKey}.
 *
 * <p>The {@code EVP_PKEY} is freed by a {@link Cleaner} once this object is unreachable: keys are read again when
 * their files change or the configuration is reloaded, and the old ones go when the last message signing with them
 * is done. {@link #sign} keeps this object reachable until OpenSSL has returned.
 *
 * <p>A native failure never loses a signature: {@link #sign} signs that message with the JDK's provider instead and
 * writes one mail log line ({@code dkim-rsa-fallback}). RSASSA-PKCS1-v1_5 is deterministic (RFC 8017 §8.2.1), so
 * both make the same octets; {@link RsaEngine#signingKey} checks that once per key before the key is used.
 */
final class LibCryptoRsaKey implements RSAPrivateCrtKey {

    private static final long serialVersionUID = 1L;
    private static final Cleaner CLEANER = Cleaner.create();

    private final RSAPrivateCrtKey jdkKey;
    private final String label;
    private final transient LibCrypto crypto;
    private final transient Object pkey;
    private final int signatureSize;

    private LibCryptoRsaKey(RSAPrivateCrtKey jdkKey, String label, LibCrypto crypto, Object pkey, int signatureSize) {
        this.jdkKey = jdkKey;
        this.label = label;
        this.crypto = crypto;
        this.pkey = pkey;
        this.signatureSize = signatureSize;
    }

    /**
     * The key as libcrypto signs with it.
     *
     * @param label what the mail log calls the key, {@code <selector>._domainkey.<domain>}
     * @throws GeneralSecurityException when OpenSSL cannot read the key
     */
    static LibCryptoRsaKey load(LibCrypto crypto, RSAPrivateCrtKey jdkKey, String label)
            throws GeneralSecurityException {
        byte[] der = jdkKey.getEncoded();
        if (der == null) {
            throw new GeneralSecurityException("the key has no PKCS#8 encoding");
        }
        Object pkey;
        try {
            pkey = crypto.privateKey(der);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
        int size = crypto.signatureSize(pkey);
        int modulusOctets = (jdkKey.getModulus().bitLength() + 7) / 8;
        if (size != modulusOctets) {
            crypto.free(pkey);
            throw new GeneralSecurityException("OpenSSL sees a " + size + "-octet key, the JDK " + modulusOctets);
        }
        LibCryptoRsaKey key = new LibCryptoRsaKey(jdkKey, label, crypto, pkey, size);
        CLEANER.register(key, new Free(crypto, pkey));
        return key;
    }

    /** The Cleaner's action: holds the handle, never the key object (which would then stay reachable). */
    private record Free(LibCrypto crypto, Object pkey) implements Runnable {
        @Override
        public void run() {
            crypto.free(pkey);
        }
    }

    /** rsa-sha256 of {@code data}: by libcrypto, or by the JDK's provider when libcrypto fails (logged). */
    byte[] sign(byte[] data) throws GeneralSecurityException {
        try {
            return signNatively(data);
        } catch (LibCrypto.Failure | RuntimeException e) { // an error of OpenSSL's, or of the foreign call itself
            MailLog.event(null, "dkim-rsa-fallback").with("key", label).with("engine", "jdk")
                    .with("reason", e.getMessage()).warn();
            return signWithJdk(data);
        }
    }

    byte[] signNatively(byte[] data) throws LibCrypto.Failure {
        try {
            return crypto.sign(pkey, signatureSize, data);
        } finally {
            Reference.reachabilityFence(this); // the Cleaner must not free the EVP_PKEY while OpenSSL uses it
        }
    }

    byte[] signWithJdk(byte[] data) throws GeneralSecurityException {
        Signature s = SigningProviders.signature(DkimAlgorithm.RSA_SHA256);
        s.initSign(jdkKey);
        s.update(data);
        return s.sign();
    }

    /** The JDK's key this one was read from. */
    RSAPrivateCrtKey jdkKey() {
        return jdkKey;
    }

    @Override
    public String getAlgorithm() {
        return jdkKey.getAlgorithm();
    }

    @Override
    public String getFormat() {
        return jdkKey.getFormat();
    }

    @Override
    public byte[] getEncoded() {
        return jdkKey.getEncoded();
    }

    @Override
    public AlgorithmParameterSpec getParams() {
        return jdkKey.getParams();
    }

    @Override
    public BigInteger getModulus() {
        return jdkKey.getModulus();
    }

    @Override
    public BigInteger getPrivateExponent() {
        return jdkKey.getPrivateExponent();
    }

    @Override
    public BigInteger getPublicExponent() {
        return jdkKey.getPublicExponent();
    }

    @Override
    public BigInteger getPrimeP() {
        return jdkKey.getPrimeP();
    }

    @Override
    public BigInteger getPrimeQ() {
        return jdkKey.getPrimeQ();
    }

    @Override
    public BigInteger getPrimeExponentP() {
        return jdkKey.getPrimeExponentP();
    }

    @Override
    public BigInteger getPrimeExponentQ() {
        return jdkKey.getPrimeExponentQ();
    }

    @Override
    public BigInteger getCrtCoefficient() {
        return jdkKey.getCrtCoefficient();
    }

    /** Equal to another key of this kind holding an equal JDK key: the same key, whichever engine signs. */
    @Override
    public boolean equals(Object o) {
        return o instanceof LibCryptoRsaKey other && jdkKey.equals(other.jdkKey);
    }

    @Override
    public int hashCode() {
        return jdkKey.hashCode();
    }

    @Override
    public String toString() {
        return "RSA private key " + label + " (libcrypto)";
    }
}
