package dev.tern.smtp.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Who accepts a listener's connections and where their sessions run: the platform thread that accepts a
 * connection serves it (leader/follower), while platform threads last; past them, on a virtual thread of its own.
 *
 * <p>Why platform threads: an SMTP session is mostly waiting for the client's next line. On a virtual thread
 * every such wait parks the thread, and its wake-up passes through the JDK's poller thread and a carrier thread;
 * a platform thread blocks in the kernel and is woken by it directly (measured on the reference machine, 48
 * context switches per message of a one-message session on virtual threads, 26 with a pool of platform threads,
 * docs/performance.md, "One sequential session"). Why the accepting thread serves: handing a new connection from
 * an acceptor thread to a worker wakes one more thread per connection before the greeting can be written, as
 * Postfix's smtpd processes avoid by each accepting for itself.
 *
 * <p>How: the threads that are not serving wait in {@link ServerSocket#accept} (one at a time in the call, the rest
 * behind it). One that gets a connection first makes sure another stays accepting: an idle one, or a new
 * platform thread while there are fewer than {@code platformThreads}; when neither is possible it stays the
 * acceptor itself and the session takes a virtual thread, so a listener serves at most {@code platformThreads
 * - 1} sessions on platform threads and thousands of idle ones (a busy MX holds many) on virtual threads, which
 * cost next to nothing while they wait. A thread whose session ended goes back to accepting, unless {@code
 * idleKept} threads are accepting already: then it ends, so a burst leaves few idle threads behind.
 */
final class SessionThreads {

    /** Like Postfix's default of 100 smtpd processes: enough for the sessions that are busy at once. */
    static final int PLATFORM_THREADS = 100;
    /** Idle platform threads kept accepting after a burst; more end as their sessions do. */
    static final int IDLE_KEPT = 16;
    /** A failed accept (EMFILE: no descriptor left) is retried after this pause, not at once. */
    private static final long ACCEPT_RETRY_NANOS = Duration.ofMillis(100).toNanos();

    private final int platformThreads;
    private final int idleKept;
    private final ThreadFactory factory;
    private final ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ended = lock.newCondition();
    private final Set<Thread> threads = new HashSet<>();
    private int accepting;
    private boolean stopped;
    /** No accept before this {@link System#nanoTime} (one failed just now); nanoTime's origin may be negative. */
    private volatile long retryAfter = System.nanoTime();
    private ServerSocket listening;
    private Consumer<IOException> acceptFailed;
    private Consumer<Socket> session;

    SessionThreads(String listener, int platformThreads, int idleKept) {
        if (platformThreads < 1 || idleKept < 1) {
            throw new IllegalArgumentException("a listener needs a thread to accept on");
        }
        this.platformThreads = platformThreads;
        this.idleKept = idleKept;
        this.factory = Thread.ofPlatform().name("smtp-" + listener + "-", 0).daemon(true).factory();
    }

    /**
     * Starts accepting: each connection of {@code listening} is given to {@code session} on some thread; an
     * accept that fails while the socket is open goes to {@code acceptFailed} (a log line).
     */
    void start(ServerSocket listening, Consumer<IOException> acceptFailed, Consumer<Socket> session) {
        lock.lock();
        try {
            this.listening = listening;
            this.acceptFailed = acceptFailed;
            this.session = session;
            startThread();
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held: one more platform thread, accepting. */
    private void startThread() {
        Thread thread = factory.newThread(this::acceptAndServe);
        threads.add(thread);
        accepting++;
        thread.start();
    }

    private void acceptAndServe() {
        boolean accepts = true;
        try {
            while (accepts) {
                Socket socket = acceptOne();
                if (socket == null) {
                    return;
                }
                if (takeFromAcceptors()) {
                    accepts = false;
                    session.accept(socket);
                    accepts = backToAccepting();
                } else {
                    serveVirtual(socket);
                }
            }
        } finally {
            lock.lock();
            try {
                threads.remove(Thread.currentThread());
                if (accepts) {
                    accepting--;
                }
                ended.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The next connection, or null once the socket is closed. */
    private Socket acceptOne() {
        while (!listening.isClosed()) {
            pauseWhileRetryWaits();
            try {
                return listening.accept();
            } catch (IOException e) {
                if (!listening.isClosed()) {
                    retryAfter = System.nanoTime() + ACCEPT_RETRY_NANOS;
                    acceptFailed.accept(e);
                }
            }
        }
        return null;
    }

    /**
     * An accept that failed, as when the process has no file descriptor left (EMFILE: more connections than
     * {@code ulimit -n}, see [limits] max_connections), fails again at once until a connection closes: every
     * accepting thread waits out one short pause, so the listener neither spins on a core nor fills the log.
     * Waiting clients stay in the backlog.
     */
    private void pauseWhileRetryWaits() {
        long wait = retryAfter - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Whether this thread, which just accepted, may serve the connection itself: yes when another thread is
     * accepting or can be started; no when this is the last platform thread that can accept.
     */
    private boolean takeFromAcceptors() {
        lock.lock();
        try {
            if (accepting > 1) {
                accepting--;
                return true;
            }
            if (threads.size() < platformThreads && !stopped) {
                accepting--;
                startThread();
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** After a session: accept again, or end (false) when enough threads accept already or the stop began. */
    private boolean backToAccepting() {
        lock.lock();
        try {
            if (stopped || accepting >= idleKept) {
                return false;
            }
            accepting++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void serveVirtual(Socket socket) {
        try {
            virtual.execute(() -> session.accept(socket));
        } catch (RejectedExecutionException stopping) {
            try {
                socket.close(); // accepted in the moment the server stopped accepting
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /** Takes no more sessions (the caller closes the socket); those running go on. */
    void shutdown() {
        lock.lock();
        try {
            stopped = true;
        } finally {
            lock.unlock();
        }
        virtual.shutdown();
    }

    /** As {@link #shutdown}, and interrupts the sessions' threads. */
    void shutdownNow() {
        shutdown();
        lock.lock();
        try {
            threads.forEach(Thread::interrupt);
        } finally {
            lock.unlock();
        }
        virtual.shutdownNow();
    }

    /** Waits at most {@code timeout} for every thread to end (the socket must be closed); true when none is left. */
    boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        lock.lock();
        try {
            while (!threads.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                ended.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
        return virtual.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    /** Whether some thread is still accepting or able to ({@code /readyz}, {@code tern status}). */
    boolean alive() {
        lock.lock();
        try {
            return !threads.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Platform threads serving a session now (tests). */
    int platformBusy() {
        lock.lock();
        try {
            return threads.size() - accepting;
        } finally {
            lock.unlock();
        }
    }

    /** Platform threads alive, serving or accepting (tests). */
    int platformAlive() {
        lock.lock();
        try {
            return threads.size();
        } finally {
            lock.unlock();
        }
    }
}
