package dev.tern.policy.dkim;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Which JCA provider makes and checks the signatures of each algorithm, chosen by measurement (DkimPartsBenchmark; the
 * numbers are in docs/performance.md, DKIM):
 *
 * <ul>
 *   <li>ed25519-sha256: Bouncy Castle's. The JDK's (SunEC) multiplies the base point without precomputed tables
 *       and spends about 600 µs of CPU a signature; Bouncy Castle's takes about 30 µs given its own key object,
 *       which keeps the public key it derives (about 60 µs when handed the JDK's key, which it converts anew each
 *       time). So a key is converted once, when it is loaded ({@link #signingKey}).</li>
 *   <li>rsa-sha256: the JDK's (SunRsaSign). Both providers spend their time in {@code BigInteger.modPow}; the
 *       JDK's was as fast or a little faster (about 980 against 1050 µs of CPU for RSA-2048). Faster still is
 *       OpenSSL's libcrypto (about 260 µs), which signs instead where {@link RsaEngine} could hand it the key; the
 *       JDK's provider is then the fallback.</li>
 * </ul>
 *
 * <p>Both algorithms are deterministic (RFC 8032 §5.1.6; RSASSA-PKCS1-v1_5, RFC 8017 §8.2.1), so the provider does
 * not change a single octet of a signature.
 *
 * <p>Verification follows the same choice: ed25519-sha256 by Bouncy Castle with its own key object, decoded once
 * from the key record's 32 octets ({@link #ed25519VerificationKey}); rsa-sha256 by the JDK's.
 *
 * <p>Bouncy Castle is used as a provider instance, never registered with {@code Security.addProvider}: registered,
 * it would take part in every JCA look-up of the process, the TLS key manager's among them. Building the instance
 * takes about 0.1 s, so it is built on first use.
 */
final class SigningProviders {

    private SigningProviders() {
    }

    /** Built on first use, by the class loader's lock. */
    private static final class BouncyCastle {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    /** A new signature object of the chosen provider. */
    static Signature signature(DkimAlgorithm algorithm) throws GeneralSecurityException {
        return algorithm == DkimAlgorithm.ED25519_SHA256
                ? Signature.getInstance("Ed25519", BouncyCastle.PROVIDER)
                : Signature.getInstance("SHA256withRSA");
    }

    /**
     * A new signature object that verifies with {@code key}: Bouncy Castle's for an Ed25519 key of its own, the
     * JDK's for any other key, so a key Bouncy Castle refused ({@link #ed25519VerificationKey}) gets the JDK's
     * verdict as before.
     */
    static Signature verification(DkimAlgorithm algorithm, PublicKey key) throws GeneralSecurityException {
        return algorithm == DkimAlgorithm.ED25519_SHA256 && isBouncyCastle(key)
                ? Signature.getInstance("Ed25519", BouncyCastle.PROVIDER)
                : Signature.getInstance(algorithm == DkimAlgorithm.ED25519_SHA256 ? "Ed25519" : "SHA256withRSA");
    }

    /**
     * An Ed25519 public key from its SubjectPublicKeyInfo (RFC 8410) as {@link #verification} takes it: Bouncy
     * Castle's key object, which keeps the decoded point, so a key costs one decoding however often it verifies.
     *
     * <p>Bouncy Castle refuses, when decoding, an encoding that is not a canonical point of the curve or is a
     * point of small order; the JDK's accepts those octets and fails (or, for a small-order point, may pass) at
     * verification. Such a key is kept as the JDK's key object, so the result stays the JDK's: the same verdict
     * as before, never an exception of Bouncy Castle's at verification time.
     */
    static PublicKey ed25519VerificationKey(byte[] spki) throws GeneralSecurityException {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(spki);
        try {
            return KeyFactory.getInstance("Ed25519", BouncyCastle.PROVIDER).generatePublic(spec);
        } catch (InvalidKeySpecException | IllegalArgumentException refused) {
            return KeyFactory.getInstance("Ed25519").generatePublic(spec);
        }
    }

    /**
     * The key as the chosen provider signs with it: for Ed25519 Bouncy Castle's own key object, read from the
     * key's PKCS#8 encoding (RFC 8410); an RSA key or a key already of that provider unchanged.
     */
    static PrivateKey signingKey(DkimAlgorithm algorithm, PrivateKey key) throws GeneralSecurityException {
        if (algorithm != DkimAlgorithm.ED25519_SHA256 || isBouncyCastle(key)) {
            return key;
        }
        byte[] pkcs8 = key.getEncoded();
        if (pkcs8 == null || !"PKCS#8".equals(key.getFormat())) {
            throw new GeneralSecurityException("an Ed25519 key without its PKCS#8 encoding");
        }
        return KeyFactory.getInstance("Ed25519", BouncyCastle.PROVIDER).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    private static boolean isBouncyCastle(Key key) {
        return key.getClass().getName().startsWith("org.bouncycastle.");
    }
}
