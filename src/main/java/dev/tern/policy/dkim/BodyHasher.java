package dev.tern.policy.dkim;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The body hash of one signature (RFC 6376 §3.7): the body through a canonicalization, cut after {@code l=}
 * octets when the signature has a length limit, into SHA-256. Counts every canonical octet, so a verifier can
 * tell that content follows the signed part.
 */
final class BodyHasher {

    private final MessageDigest digest;
    private final long limit;
    private final BodyCanonicalizer canonicalizer;
    private long length;
    private byte[] hash;

    /** @param limit the {@code l=} value, or -1 for the whole body */
    BodyHasher(Canonicalization canonicalization, long limit) {
        this.digest = sha256();
        this.limit = limit;
        this.canonicalizer = canonicalization.body(this::accept);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    void update(byte[] b, int off, int len) {
        canonicalizer.update(b, off, len);
    }

    /** The hash; the first call ends the body. */
    byte[] hash() {
        if (hash == null) {
            canonicalizer.finish();
            hash = digest.digest();
        }
        return hash;
    }

    /** Octets of the canonical body; valid after {@link #hash()}. */
    long canonicalLength() {
        return length;
    }

    private void accept(byte[] b, int off, int len) {
        if (limit >= 0 && length + len > limit) {
            int take = (int) Math.max(0, limit - length);
            digest.update(b, off, take);
        } else {
            digest.update(b, off, len);
        }
        length += len;
    }
}
