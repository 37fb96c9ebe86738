package dev.tern.smtp.server;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where a listener's sessions run: on a platform thread from a small pool while one is free, else on a virtual
 * thread of their own.
 *
 * <p>Why both: an SMTP session is mostly waiting for the client's next line. On a virtual thread every such wait
 * parks the thread, and its wake-up passes through the JDK's poller thread and a carrier thread; measured on the
 * reference machine that is 48 context switches per message of a one-message session against 26 with this pool
 * (a platform thread blocks in the kernel and is woken by it directly), and a NOOP round trip costs half the CPU
 * (docs/performance.md, "One sequential session"). A platform thread costs tens of KiB even while its session
 * waits, so only {@code platformThreads} are kept: past them, and for the thousands of idle sessions a busy MX
 * holds, sessions take virtual threads, which cost next to nothing while they wait. An idle platform thread
 * ends after a minute.
 */
final class SessionThreads {

    /** Like Postfix's default of 100 smtpd processes: enough for the sessions that are busy at once. */
    static final int PLATFORM_THREADS = 100;
    private static final long IDLE_SECONDS = 60;

    private final ThreadPoolExecutor platform;
    private final ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor();

    SessionThreads(String listener, int platformThreads) {
        this.platform = new ThreadPoolExecutor(0, platformThreads, IDLE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), Thread.ofPlatform().name("smtp-" + listener + "-", 0).daemon(true).factory());
    }

    /** Runs a session; throws {@link RejectedExecutionException} once {@link #shutdown} was called. */
    void execute(Runnable session) {
        try {
            platform.execute(session);
        } catch (RejectedExecutionException full) {
            if (platform.isShutdown()) {
                throw full;
            }
            virtual.execute(session);
        }
    }

    /** Takes no more sessions; those running go on. */
    void shutdown() {
        platform.shutdown();
        virtual.shutdown();
    }

    /** As {@link #shutdown}, and interrupts the sessions' threads. */
    void shutdownNow() {
        platform.shutdownNow();
        virtual.shutdownNow();
    }

    /** Waits at most {@code timeout} for every session to end; true when none is left. */
    boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        return platform.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)
                && virtual.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    /** Platform threads running a session now (tests). */
    int platformBusy() {
        return platform.getActiveCount();
    }
}
