package dev.tern.store;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * A user's SCRAM-SHA-256 verifier (RFC 5802 §3, RFC 7677): the salt and iteration count a client needs to
 * derive its keys, and StoredKey and ServerKey, which let the server check a proof and prove itself without
 * knowing the password. Written as one word, in the form PostgreSQL also uses:
 * <pre>
 * SCRAM-SHA-256$&lt;iterations&gt;:&lt;salt&gt;$&lt;StoredKey&gt;:&lt;ServerKey&gt;
 * </pre>
 * each binary field in standard Base64 with padding (RFC 4648 §4). StoredKey and ServerKey are as secret as a
 * password hash: whoever holds both can impersonate the server to a client, and guess passwords offline.
 */
public record ScramCredential(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {

    /** The leading tag of the stored form. */
    public static final String TAG = "SCRAM-SHA-256$";
    /** RFC 7677 §4: the iteration count "SHOULD be at least 4096". */
    public static final int MIN_ITERATIONS = 4096;
    /** A cap on what a file may ask clients to compute (each login costs the client this many HMACs). */
    public static final int MAX_ITERATIONS = 10_000_000;
    /** SHA-256 output length: StoredKey and ServerKey are each one digest. */
    public static final int KEY_OCTETS = 32;

    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64_DECODE = Base64.getDecoder();

    /**
     * @throws IllegalArgumentException for an iteration count out of range, a salt shorter than 8 or longer
     *                                  than 64 octets, or keys that are not SHA-256 digests
     */
    public ScramCredential {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("SCRAM iteration count must be between " + MIN_ITERATIONS + " and "
                    + MAX_ITERATIONS + ", got " + iterations);
        }
        if (salt.length < 8 || salt.length > 64) {
            throw new IllegalArgumentException("SCRAM salt must be 8 to 64 octets, got " + salt.length);
        }
        if (storedKey.length != KEY_OCTETS || serverKey.length != KEY_OCTETS) {
            throw new IllegalArgumentException("SCRAM-SHA-256 keys must be " + KEY_OCTETS + " octets");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    /** The stored form (see the class comment). */
    public String encode() {
        return TAG + iterations + ":" + B64.encodeToString(salt) + "$" + B64.encodeToString(storedKey) + ":"
                + B64.encodeToString(serverKey);
    }

    /**
     * Reads the stored form.
     *
     * @throws IllegalArgumentException with a reason fit for the operator when anything is off
     */
    public static ScramCredential parse(String text) {
        if (!text.startsWith(TAG)) {
            throw new IllegalArgumentException("a SCRAM verifier must start with " + TAG);
        }
        String[] halves = text.substring(TAG.length()).split("\\$", -1);
        String[] first = halves[0].split(":", -1);
        String[] second = halves.length == 2 ? halves[1].split(":", -1) : new String[0];
        if (halves.length != 2 || first.length != 2 || second.length != 2 || !first[0].matches("[1-9][0-9]{0,8}")) {
            throw new IllegalArgumentException("expected " + TAG + "<iterations>:<salt>$<StoredKey>:<ServerKey>");
        }
        try {
            return new ScramCredential(B64_DECODE.decode(first[1]), Integer.parseInt(first[0]),
                    B64_DECODE.decode(second[0]), B64_DECODE.decode(second[1]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad SCRAM verifier: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScramCredential o && iterations == o.iterations && Arrays.equals(salt, o.salt)
                && MessageDigest.isEqual(storedKey, o.storedKey) && MessageDigest.isEqual(serverKey, o.serverKey);
    }

    @Override
    public int hashCode() {
        return 31 * iterations + Arrays.hashCode(salt);
    }

    /** Iterations and salt only: the keys are secrets and stay out of logs. */
    @Override
    public String toString() {
        return "ScramCredential[iterations=" + iterations + ", salt=" + B64.encodeToString(salt) + "]";
    }
}
