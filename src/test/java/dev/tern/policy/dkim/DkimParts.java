package dev.tern.policy.dkim;

import dev.tern.mail.header.HeaderField;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.List;

/**
 * The steps of {@link DkimSigner#sign} one at a time, for the benchmark of their costs
 * ({@code dev.tern.bench.DkimPartsBenchmark}); they are package-private in the main code, and test code only
 * calls them here.
 */
public final class DkimParts {

    private DkimParts() {
    }

    /** The body hash (RFC 6376 §3.7): the body through a canonicalization into SHA-256. */
    public static byte[] bodyHash(Canonicalization canon, byte[] body, int offset) {
        BodyHasher hasher = new BodyHasher(canon, -1);
        hasher.update(body, offset, body.length - offset);
        return hasher.hash();
    }

    /** The header data a signature covers (§3.7): the names of {@code h=}, the fields picked and canonicalized. */
    public static byte[] headerData(List<HeaderField> fields, HeaderPolicy policy, Canonicalization canon,
            HeaderField signatureWithoutB) {
        return HeaderHash.data(fields, policy.signedNames(fields), canon, signatureWithoutB);
    }

    /** What the signature's algorithm signs: the header data (RSA), or its SHA-256 hash (Ed25519, RFC 8463 §3). */
    public static byte[] signedInput(DkimAlgorithm algorithm, byte[] headerData) {
        return algorithm == DkimAlgorithm.ED25519_SHA256 ? BodyHasher.sha256().digest(headerData) : headerData;
    }

    /** The key as {@code engine} signs with it, as the key store reads it ({@link RsaEngine#signingKey}). */
    public static PrivateKey rsaSigningKey(PrivateKey key, RsaEngine engine) {
        return engine.signingKey(key, "bench._domainkey.example.test");
    }

    /** The signature alone, by the engine the key was read for ({@link DkimAlgorithm#sign}). */
    public static byte[] sign(DkimAlgorithm algorithm, PrivateKey key, byte[] headerData)
            throws GeneralSecurityException {
        return algorithm.sign(key, headerData);
    }

    /** Whether the key signs through libcrypto ({@link LibCryptoRsaKey}). */
    public static boolean signsWithLibcrypto(PrivateKey key) {
        return key instanceof LibCryptoRsaKey;
    }
}
