package dev.tern.auth;

import dev.tern.store.Names;
import dev.tern.store.ScramCredential;
import java.util.Arrays;

/**
 * Stand-in SCRAM verifiers for users who have none (no such user, or a password set before Tern kept
 * SCRAM verifiers), so the exchange looks the same as for a real user and fails only at the proof: the salt
 * is derived from the name and a server secret with HMAC, so the same name always gets the same salt (a
 * salt that changed from one try to the next would give the unknown user away), and nobody without the
 * secret can tell it from a random one.
 */
final class FakeScram {

    static final int SALT_OCTETS = 16;

    private final byte[] secret;
    private final int iterations;

    FakeScram(byte[] secret, int iterations) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the server secret must be at least 16 octets");
        }
        this.secret = secret.clone();
        this.iterations = iterations;
    }

    /** The stand-in verifier for {@code username}; its keys match no password anyone knows. */
    ScramCredential credential(String username) {
        String key = Names.loginKey(username).orElse(username);
        byte[] salt = Arrays.copyOf(Scram.hmac(secret, "tern scram salt\0" + key), SALT_OCTETS);
        return new ScramCredential(salt, iterations, Scram.hmac(secret, "tern scram stored key\0" + key),
                Scram.hmac(secret, "tern scram server key\0" + key));
    }
}
