package dev.tern.auth;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds how many Argon2id verifications run at once, and runs them on a few platform threads of their own.
 * A verification is tens of milliseconds of CPU and memory-hard work; run straight on the sessions' virtual
 * threads, a burst of AUTH commands would hold every carrier thread (one per core) and stall every other
 * session. Here at most {@code maxParallel} run, each on a platform thread while the session's virtual
 * thread waits unmounted; a check that finds them all busy waits at most {@code wait} for one and is then
 * refused ({@link CheckRefused}: the client gets {@code 454 4.7.0}, RFC 4954 §6, and may try again).
 * Safe for concurrent use; its threads are daemons that end when idle.
 */
public final class CheckLimiter {

    /** The default bound: one check per core. */
    public static final int DEFAULT_MAX_PARALLEL = Runtime.getRuntime().availableProcessors();
    /** The default wait for a free checker. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

    private static final Duration IDLE = Duration.ofSeconds(30);

    private final Semaphore permits;
    private final Duration wait;
    private final ThreadPoolExecutor pool;

    /**
     * @param maxParallel the most checks that run at once (at least 1)
     * @param wait        how long a check waits for a free checker before it is refused (zero: not at all)
     */
    public CheckLimiter(int maxParallel, Duration wait) {
        if (maxParallel < 1 || wait.isNegative()) {
            throw new IllegalArgumentException("invalid check limits: " + maxParallel + ", " + wait);
        }
        this.permits = new Semaphore(maxParallel, true);
        this.wait = wait;
        // As many threads as permits: a task that holds a permit never queues behind another.
        this.pool = new ThreadPoolExecutor(maxParallel, maxParallel, IDLE.toSeconds(), TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemons());
        pool.allowCoreThreadTimeOut(true);
    }

    /** With {@link #DEFAULT_MAX_PARALLEL} and {@link #DEFAULT_WAIT}. */
    public static CheckLimiter defaults() {
        return new CheckLimiter(DEFAULT_MAX_PARALLEL, DEFAULT_WAIT);
    }

    /**
     * Runs one check of {@code login}'s password, when a checker is free within the wait.
     *
     * @throws CheckRefused when none became free, or the caller was interrupted (its flag is set again)
     */
    <T> T run(String login, Callable<T> check) {
        try {
            if (!permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new CheckRefused(login, "all password checkers busy");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckRefused(login, "interrupted");
        }
        Future<T> result;
        try {
            // The task gives the permit back itself: if the caller stops waiting, the check still runs to its
            // end, and the bound counts it until then.
            result = pool.submit(() -> {
                try {
                    return check.call();
                } finally {
                    permits.release();
                }
            });
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
        return await(login, result);
    }

    private static <T> T await(String login, Future<T> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckRefused(login, "interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("password check failed", cause);
        }
    }

    private static ThreadFactory daemons() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = Thread.ofPlatform().daemon().name("tern-auth-check-" + count.incrementAndGet())
                    .unstarted(task);
            return thread;
        };
    }
}
