package dev.tern.store;

import java.util.Objects;
import java.util.Optional;

/**
 * What the directory keeps of a user's password: an Argon2id hash (a PHC string, for PLAIN and LOGIN), and,
 * when it was derived as the password was set, a SCRAM-SHA-256 verifier. Users added before Tern stored
 * SCRAM verifiers have none: they can log in with PLAIN or LOGIN until their password is set again.
 *
 * @param hash         the password hash, one word without spaces
 * @param scramSha256  the SCRAM-SHA-256 verifier, if any
 */
public record StoredPassword(String hash, Optional<ScramCredential> scramSha256) {

    public StoredPassword {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(scramSha256, "scramSha256");
    }

    /** A password hash alone, without a SCRAM verifier. */
    public static StoredPassword of(String hash) {
        return new StoredPassword(hash, Optional.empty());
    }

    /** A password hash and a SCRAM-SHA-256 verifier of the same password. */
    public static StoredPassword of(String hash, ScramCredential scramSha256) {
        return new StoredPassword(hash, Optional.of(scramSha256));
    }
}
