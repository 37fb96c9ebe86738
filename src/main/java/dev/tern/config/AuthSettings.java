package dev.tern.config;

import java.time.Duration;

/**
 * SMTP AUTH settings: the brute-force throttle and where plain-text mechanisms may be used.
 *
 * @param maxFailures               failed authentications from one client address, within
 *                                  {@code failureWindow} of each other, that lock the address out
 * @param failureWindow             a client's or account's count of failures is forgotten once this passes
 *                                  without a failure
 * @param lockout                   how long a locked-out address may not authenticate
 * @param delayBase                 the reply delay after the third failure in a row; it doubles with each
 *                                  further failure
 * @param delayMax                  the longest reply delay
 * @param allowPlaintextOnLoopback  whether AUTH PLAIN and LOGIN are offered without TLS to clients on a
 *                                  loopback address (for local scripts and tests); off by default
 * @param accountDelayMax           the longest an account under attack (failures from any addresses) makes its
 *                                  next password check wait
 * @param maxParallelChecks         the most Argon2id password checks that run at once
 * @param checkWait                 how long a check waits for a free checker before the client gets
 *                                  {@code 454 4.7.0}
 * @param scramIterations           the PBKDF2 iteration count of SCRAM-SHA-256 verifiers stored when a
 *                                  password is set (RFC 7677 §4: at least 4096)
 */
public record AuthSettings(int maxFailures, Duration failureWindow, Duration lockout, Duration delayBase,
        Duration delayMax, boolean allowPlaintextOnLoopback, Duration accountDelayMax, int maxParallelChecks,
        Duration checkWait, int scramIterations) {

    /** The default {@code scram_iterations}: OWASP's count for PBKDF2-HMAC-SHA256 (see docs/auth.md). */
    public static final int DEFAULT_SCRAM_ITERATIONS = 600_000;

    /** The default {@code max_parallel_checks}: one per core, so checks never hold every carrier thread. */
    public static final int DEFAULT_MAX_PARALLEL_CHECKS = Runtime.getRuntime().availableProcessors();

    /** As before the check limits, with their defaults. */
    public AuthSettings(int maxFailures, Duration failureWindow, Duration lockout, Duration delayBase,
            Duration delayMax, boolean allowPlaintextOnLoopback) {
        this(maxFailures, failureWindow, lockout, delayBase, delayMax, allowPlaintextOnLoopback,
                Duration.ofMinutes(5), DEFAULT_MAX_PARALLEL_CHECKS, Duration.ofSeconds(5), DEFAULT_SCRAM_ITERATIONS);
    }

    public static AuthSettings defaults() {
        return new AuthSettings(10, Duration.ofMinutes(15), Duration.ofMinutes(15), Duration.ofSeconds(1),
                Duration.ofSeconds(15), false);
    }
}
