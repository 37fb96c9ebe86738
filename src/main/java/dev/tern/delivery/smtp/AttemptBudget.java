package dev.tern.delivery.smtp;

import dev.tern.config.ConfigValues;
import dev.tern.config.DeliverySettings.AttemptLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * What one attempt to one destination may still spend: time, addresses and sessions.
 *
 * <p>The time has two parts, each as long as {@code attempt_timeout}. First the wait for a connection: while
 * the limits are reached, a message may wait so long for a permit (or for one of its destination's connections
 * to go idle), and is then deferred as congested. The conversation's time starts with the first permit or
 * reused connection ({@link #start}): a message that waited long for its turn must not be cut moments after it
 * got it, with its connection opened for nothing. The conversation's time is kept by a watchdog. Every read has its own timeout, but a timeout per read starts again with
 * each byte, so a server that sends one byte every few minutes could hold a connection (and its permit) for
 * days. When the deadline passes, the watchdog closes the connections of the attempt from the timer thread;
 * the blocked read or write fails at once, and the attempt ends with {@link #timedOut}. Nothing the server
 * sends can move the deadline.
 *
 * <p>The addresses and sessions are Postfix's {@code smtp_mx_address_limit} and {@code smtp_mx_session_limit}:
 * a domain that lists fifty unresponsive MX addresses cannot make one attempt last fifty connect timeouts.
 */
final class AttemptBudget implements AutoCloseable {

    private final AttemptLimits limits;
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<SmtpConnection> watched = new ArrayList<>();
    /** The end of the wait for a connection, then (once {@link #started}) of the conversation. */
    private long deadline;
    /** The conversation's watchdog; null until {@link #start}. */
    private ScheduledFuture<?> alarm;
    private boolean expired;
    private int sessions;

    AttemptBudget(AttemptLimits limits, ScheduledExecutorService timer) {
        this(limits, timer, System::nanoTime);
    }

    /** As above, on another clock (tests). */
    AttemptBudget(AttemptLimits limits, ScheduledExecutorService timer, LongSupplier nanoTime) {
        this.limits = limits;
        this.timer = timer;
        this.nanoTime = nanoTime;
        this.deadline = nanoTime.getAsLong() + limits.timeout().toNanos();
    }

    /**
     * The attempt has a connection permit or a reused connection: its conversation's time starts now, kept by
     * the watchdog. Only the first call counts; a later permit (the next address of the walk) spends what is
     * left.
     */
    void start() {
        lock.lock();
        try {
            if (alarm == null) {
                deadline = nanoTime.getAsLong() + limits.timeout().toNanos();
                alarm = timer.schedule(this::expire, limits.timeout().toNanos(), TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes {@code c} when the deadline passes, or at once if it has passed. */
    void watch(SmtpConnection c) {
        lock.lock();
        try {
            if (!expired) {
                watched.add(c);
                return;
            }
        } finally {
            lock.unlock();
        }
        c.close();
    }

    /** The connection outlives this attempt (it goes to the cache): no longer closed at the deadline. */
    void release(SmtpConnection c) {
        lock.lock();
        try {
            watched.remove(c);
        } finally {
            lock.unlock();
        }
    }

    /** Whether the conversation's time has started ({@link #start}). */
    boolean started() {
        lock.lock();
        try {
            return alarm != null;
        } finally {
            lock.unlock();
        }
    }

    boolean expired() {
        lock.lock();
        try {
            return expired || nanoTime.getAsLong() - deadline >= 0;
        } finally {
            lock.unlock();
        }
    }

    /** How long a wait (for a connection permit) may still last; zero once the deadline has passed. */
    long remainingMillis() {
        lock.lock();
        try {
            return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - nanoTime.getAsLong()));
        } finally {
            lock.unlock();
        }
    }

    /** The addresses of a destination this attempt may try, in order. */
    <T> List<T> addresses(List<T> all) {
        return all.size() <= limits.maxAddresses() ? all : all.subList(0, limits.maxAddresses());
    }

    /** Whether another session may be started (the sessions used so far are below the limit). */
    boolean mayStartSession() {
        return sessions < limits.maxSessions();
    }

    /** A session reached the end of its start (or a cached one was taken up): it counts toward the limit. */
    void sessionUsed() {
        sessions++;
    }

    /**
     * Why the attempt ended at its deadline. RFC 3463 X.4.7 (delivery time expired), with the words of Postfix's
     * "conversation with ... timed out"; temporary, so the queue tries again after its backoff.
     */
    Attempt.Next timedOut(String where) {
        String whom = where == null || where.isEmpty() ? "" : " with " + where;
        return Attempt.Next.temporary("4.4.7", "conversation" + whom + " timed out: the delivery attempt took "
                + "longer than " + ConfigValues.formatDuration(limits.timeout()) + " (attempt_timeout)",
                where == null ? "" : where);
    }

    private void expire() {
        List<SmtpConnection> closing;
        lock.lock();
        try {
            expired = true;
            closing = List.copyOf(watched);
            watched.clear();
        } finally {
            lock.unlock();
        }
        closing.forEach(SmtpConnection::close);
    }

    /** The attempt is over: the watchdog is no longer needed. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (alarm != null) {
                alarm.cancel(false);
            }
        } finally {
            lock.unlock();
        }
    }
}
