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
     * Iterations of new SCRAM verifiers: RFC 7677 §4's minimum, the common choice (Dovecot, PostgreSQL).
     * Every login costs the client this many HMACs; the Argon2id hash stays the stronger of the two stored
     * forms against an offline guesser.
     */
    public static final int SCRAM_ITERATIONS = ScramCredential.MIN_ITERATIONS;
    private static final SecureRandom RANDOM = new SecureRandom();

    private StoredPasswords() {
    }

    /**
     * The hash and, unless SASLprep refuses the password (see {@link #scramSha256}), the SCRAM verifier,
     * with a fresh random salt each.
     */
    public static StoredPassword derive(PasswordHasher hasher, char[] password) {
        byte[] salt = new byte[FakeScram.SALT_OCTETS];
        RANDOM.nextBytes(salt);
        return new StoredPassword(hasher.hash(password), scramSha256(password, salt, SCRAM_ITERATIONS));
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
