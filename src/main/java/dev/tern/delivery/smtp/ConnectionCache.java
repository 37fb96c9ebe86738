package dev.tern.delivery.smtp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Idle connections kept for the next message to the same destination, as Postfix's connection cache does:
 * a connection that finished a transaction waits here up to the reuse time, then is closed with QUIT.
 * An idle connection keeps its concurrency permit, so it counts toward the limits.
 */
final class ConnectionCache implements AutoCloseable {

    private final Duration reuseTime;
    private final ScheduledExecutorService timer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Deque<SmtpConnection>> idle = new HashMap<>();
    private final Deque<SmtpConnection> byAge = new ArrayDeque<>();
    private boolean closed;

    ConnectionCache(Duration reuseTime, ScheduledExecutorService timer) {
        this.reuseTime = reuseTime;
        this.timer = timer;
    }

    /** The most recently used idle connection to {@code destination}, or null. */
    SmtpConnection take(String destination) {
        lock.lock();
        try {
            Deque<SmtpConnection> list = idle.get(destination);
            SmtpConnection c = list == null ? null : list.pollLast();
            if (c != null) {
                forget(c);
            }
            return c;
        } finally {
            lock.unlock();
        }
    }

    /** Keeps a connection that finished cleanly; closes it when reuse is off or it cannot be reused. */
    void put(SmtpConnection c) {
        boolean keep;
        long stamp = 0;
        lock.lock();
        try {
            keep = !closed && !reuseTime.isZero() && c.usable();
            if (keep) {
                stamp = c.markIdle(); // read again under this lock by expire()
                idle.computeIfAbsent(c.destination(), k -> new ArrayDeque<>()).addLast(c);
                byAge.addLast(c);
            }
        } finally {
            lock.unlock();
        }
        if (keep) {
            long idlePeriod = stamp;
            timer.schedule(() -> expire(c, idlePeriod), reuseTime.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            c.quit();
        }
    }

    /** Whether a connection to {@code destination} is idle now. */
    boolean hasIdle(String destination) {
        lock.lock();
        try {
            Deque<SmtpConnection> list = idle.get(destination);
            return list != null && !list.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the oldest idle connection to {@code destination}; false when there is none. */
    boolean closeIdle(String destination) {
        return closeOne(destination);
    }

    /** Closes the oldest idle connection to any destination; false when nothing is idle. */
    boolean closeOldest() {
        return closeOne(null);
    }

    private boolean closeOne(String destination) {
        SmtpConnection victim;
        lock.lock();
        try {
            Deque<SmtpConnection> list = destination == null ? byAge : idle.get(destination);
            victim = list == null ? null : list.peekFirst();
            if (victim != null) {
                forget(victim);
            }
        } finally {
            lock.unlock();
        }
        if (victim == null) {
            return false;
        }
        victim.quit(); // gives its permit back
        return true;
    }

    int idleCount() {
        lock.lock();
        try {
            return byAge.size();
        } finally {
            lock.unlock();
        }
    }

    /** The timer of one idle period; a connection reused and put back since then has a later timer. */
    private void expire(SmtpConnection c, long stamp) {
        boolean wasIdle;
        lock.lock();
        try {
            wasIdle = c.idleStamp() == stamp && byAge.contains(c);
            if (wasIdle) {
                forget(c);
            }
        } finally {
            lock.unlock();
        }
        if (wasIdle) {
            Thread.ofVirtual().name("smtp-idle-close").start(c::quit); // QUIT waits for a reply: not on the timer
        }
    }

    private void forget(SmtpConnection c) {
        byAge.remove(c);
        Deque<SmtpConnection> list = idle.get(c.destination());
        if (list != null) {
            list.remove(c);
            if (list.isEmpty()) {
                idle.remove(c.destination());
            }
        }
    }

    @Override
    public void close() {
        List<SmtpConnection> all;
        lock.lock();
        try {
            closed = true;
            all = new ArrayList<>(byAge);
            byAge.clear();
            idle.clear();
        } finally {
            lock.unlock();
        }
        all.forEach(SmtpConnection::quit);
    }
}
