package dev.tern.smtp.server;

import dev.tern.auth.AuthThrottle;
import dev.tern.auth.Authenticator;
import dev.tern.auth.PasswordHasher;
import dev.tern.store.Credentials;
import java.time.Duration;
import java.util.Optional;

/**
 * An authenticator for session tests: {@code alice@localhost} with password {@code secret}, a cheap hash
 * cost, and a throttle that never sleeps but locks out after 3 failures.
 */
final class TestAuthenticator {

    static final PasswordHasher HASHER = new PasswordHasher(new PasswordHasher.Cost(1024, 1, 1));
    private static final String ALICE_HASH = HASHER.hash("secret".toCharArray());

    static final Authenticator INSTANCE = create();

    static Authenticator create() {
        Credentials credentials = login -> login.equalsIgnoreCase("alice@localhost")
                ? Optional.of(ALICE_HASH) : Optional.empty();
        AuthThrottle throttle = new AuthThrottle(
                new AuthThrottle.Policy(3, Duration.ofMinutes(15), Duration.ofMinutes(15), Duration.ZERO, Duration.ZERO),
                java.time.InstantSource.system(), duration -> { });
        return new Authenticator(credentials, HASHER, throttle, new byte[32]);
    }

    /**
     * As {@link #create}, but with account delays (1s, 2s...) that never pass, its clock standing still, and
     * no address lockout within reach: once alice has three failures, every check of her gets 454.
     */
    static Authenticator withStillAccountDelays() {
        Credentials credentials = login -> login.equalsIgnoreCase("alice@localhost")
                ? Optional.of(ALICE_HASH) : Optional.empty();
        AuthThrottle throttle = new AuthThrottle(
                new AuthThrottle.Policy(100, Duration.ofMinutes(15), Duration.ofMinutes(15), Duration.ofSeconds(1),
                        Duration.ofSeconds(15)),
                java.time.InstantSource.fixed(java.time.Instant.parse("2025-01-01T00:00:00Z")), duration -> { });
        return new Authenticator(credentials, HASHER, throttle, new byte[32]);
    }

    private TestAuthenticator() {
    }
}
