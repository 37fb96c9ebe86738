package dev.tern.auth;

import static dev.tern.auth.Fixtures.CHEAP;
import static dev.tern.auth.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.store.StoredPassword;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The race of parallel guesses: many connections from one address send AUTH at once, each check is slow,
 * and before the fix each got its guess because a failure was counted only after its check.
 */
class ParallelGuessTest {

    private static final int CONNECTIONS = 12;
    private static final int MAX_FAILURES = 3;

    private final AtomicInteger checks = new AtomicInteger();
    /** Counted down by each connection when its check starts or when it is answered without one. */
    private final CountDownLatch arrived = new CountDownLatch(CONNECTIONS);

    /** A verifier that holds every check until all connections have arrived: they all overlap. */
    private final PasswordCheck.Verifier slow = new PasswordCheck.Verifier() {
        @Override
        public boolean verify(char[] password, String hash) {
            return hold(CHEAP.verify(password, hash));
        }

        @Override
        public boolean verify(byte[] password, String hash) {
            return hold(CHEAP.verify(password, hash));
        }

        private boolean hold(boolean result) {
            checks.incrementAndGet();
            arrived.countDown();
            try {
                arrived.await(1, TimeUnit.MINUTES); // a bound on a broken run, not a timing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return result;
        }
    };

    private Authenticator authenticator(AuthThrottle.Policy policy) {
        MemoryCredentials credentials = new MemoryCredentials()
                .add("alice@example.com", StoredPassword.of(CHEAP.hash("correct horse".toCharArray())));
        PasswordCheck check = new PasswordCheck(credentials, CHEAP, slow,
                new CheckLimiter(CONNECTIONS, Duration.ofMinutes(1)));
        AuthThrottle throttle = new AuthThrottle(policy, new Fixtures.Clock(), new Fixtures.Sleeper());
        return Authenticator.withCheck(credentials, check, throttle, Fixtures.SECRET);
    }

    private List<SaslStep> guessAtOnce(Authenticator authenticator, String... users) throws Exception {
        List<Future<SaslStep>> results = new ArrayList<>();
        try (ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CONNECTIONS; i++) {
                String user = users[i % users.length];
                String guess = "guess" + i;
                results.add(connections.submit(() -> {
                    SaslMechanism plain = authenticator.start("PLAIN", "203.0.113.9").orElseThrow();
                    SaslStep step = plain.start(utf8("\0" + user + "\0" + guess));
                    if (step instanceof SaslStep.Unavailable) {
                        arrived.countDown();
                    }
                    return step;
                }));
            }
        }
        List<SaslStep> steps = new ArrayList<>();
        for (Future<SaslStep> result : results) {
            steps.add(result.get());
        }
        return steps;
    }

    @Test
    void parallelConnectionsFromOneAddressGetNoMoreChecksThanTheLockoutAllows() throws Exception {
        Authenticator authenticator = authenticator(new AuthThrottle.Policy(MAX_FAILURES, Duration.ofMinutes(15),
                Duration.ofMinutes(15), Duration.ZERO, Duration.ZERO));
        String[] users = new String[CONNECTIONS];
        for (int i = 0; i < CONNECTIONS; i++) {
            users[i] = "user" + i + "@example.com"; // distinct accounts: only the address limit applies
        }
        List<SaslStep> steps = guessAtOnce(authenticator, users);

        assertThat(checks).hasValue(MAX_FAILURES);
        assertThat(steps).filteredOn(SaslStep.Failure.class::isInstance).hasSize(MAX_FAILURES);
        assertThat(steps).filteredOn(SaslStep.Unavailable.class::isInstance).hasSize(CONNECTIONS - MAX_FAILURES);
        assertThat(authenticator.isLockedOut("203.0.113.9")).isTrue();
    }

    @Test
    void parallelGuessesAtOneAccountUnderAttackGetOneCheck() throws Exception {
        Fixtures.Clock clock = new Fixtures.Clock();
        AuthThrottle throttle = new AuthThrottle(new AuthThrottle.Policy(100, Duration.ofMinutes(15),
                Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofSeconds(15)), clock, new Fixtures.Sleeper());
        for (int i = 0; i < AuthThrottle.FREE_FAILURES + 1; i++) {
            throttle.failed("198.51.100." + i, "alice@example.com", "PLAIN", "wrong password");
        }
        clock.advance(Duration.ofMinutes(1)); // the account's delay has passed: one check may run
        MemoryCredentials credentials = new MemoryCredentials()
                .add("alice@example.com", StoredPassword.of(CHEAP.hash("correct horse".toCharArray())));
        Authenticator authenticator = Authenticator.withCheck(credentials, new PasswordCheck(credentials, CHEAP, slow,
                new CheckLimiter(CONNECTIONS, Duration.ofMinutes(1))), throttle, Fixtures.SECRET);

        List<SaslStep> steps = guessAtOnce(authenticator, "alice@example.com");

        assertThat(checks).hasValue(1);
        assertThat(steps).filteredOn(SaslStep.Unavailable.class::isInstance).hasSize(CONNECTIONS - 1);
    }
}
