package dev.tern.auth;

import dev.tern.store.ScramCredential;
import dev.tern.store.StoredPassword;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * What to store when a password is set ({@code tern user add|passwd}): its Argon2id hash for PLAIN and
 * LOGIN, and its SCRAM-SHA-256 verifier for SCRAM, both derived from the password at once since the
 * password itself is never kept.
 */
public final class StoredPasswords {

    /**
     * The default iterations of new SCRAM verifiers ({@code [auth] scram_iterations}): the OWASP Password
     * Storage Cheat Sheet's count for PBKDF2-HMAC-SHA256, far above RFC 7677 §4's minimum of 4096. The stored
     * verifier is an offline guesser's other way in beside the Argon2id hash, and at 4096 it was the weaker
     * by far (a guess cost 4096 HMACs). The server computes no PBKDF2 during a SCRAM login, only HMACs, so
     * the count costs the server nothing per login; the client pays it once per login (docs/auth.md has
     * the measurements), and {@code tern user add|passwd} once. Verifiers stored with another count keep
     * working: each carries its own.
     */
    public static final int SCRAM_ITERATIONS = 600_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private StoredPasswords() {
    }

    /**
     * The hash and, unless SASLprep refuses the password (see {@link #scramSha256}), the SCRAM verifier,
     * with a fresh random salt each.
     */
    public static StoredPassword derive(PasswordHasher hasher, char[] password) {
        return derive(hasher, password, SCRAM_ITERATIONS);
    }

    /** As above, with this many SCRAM iterations ({@link ScramCredential#MIN_ITERATIONS} at least). */
    public static StoredPassword derive(PasswordHasher hasher, char[] password, int scramIterations) {
        byte[] salt = new byte[FakeScram.SALT_OCTETS];
        RANDOM.nextBytes(salt);
        return new StoredPassword(hasher.hash(password), scramSha256(password, salt, scramIterations));
    }

    /**
     * The SCRAM-SHA-256 verifier of a password (RFC 5802 §3), after SASLprep (RFC 4013) as clients apply it;
     * empty when the password holds characters SASLprep prohibits (control characters, unassigned code
     * points...), which no conforming client could send either.
     */
    public static Optional<ScramCredential> scramSha256(char[] password, byte[] salt, int iterations) {
        String prepared;
        try {
            prepared = SaslPrep.prepare(CharBuffer.wrap(password).toString());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        byte[] octets = prepared.getBytes(StandardCharsets.UTF_8);
        try {
            return Optional.of(Scram.credential(octets, salt, iterations));
        } finally {
            Arrays.fill(octets, (byte) 0);
        }
    }
}
