package dev.tern.delivery.smtp;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counting permits for outbound connections: at most {@code total} open at once, and at most
 * {@code perDestination} to one destination, as Postfix bounds {@code default_destination_concurrency_limit}.
 * Two semaphores in one lock, so that a connection takes both or neither, and a destination's counter
 * disappears when it drops to zero (no map that grows with every domain ever seen).
 */
final class ConcurrencyLimits {

    private final int total;
    private final int perDestination;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private final Map<String, Integer> byDestination = new HashMap<>();
    private int open;

    ConcurrencyLimits(int total, int perDestination) {
        if (total < 1 || perDestination < 1) {
            throw new IllegalArgumentException("connection limits must be at least 1");
        }
        this.total = total;
        this.perDestination = perDestination;
    }

    /** A permit for one connection; {@link #release} gives it back, once. */
    final class Lease {
        private final String destination;
        private boolean released;

        private Lease(String destination) {
            this.destination = destination;
        }

        void release() {
            lock.lock();
            try {
                if (!released) {
                    released = true;
                    open--;
                    byDestination.computeIfPresent(destination, (k, n) -> n == 1 ? null : n - 1);
                    ConcurrencyLimits.this.released.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** A permit if one is free now, else null. */
    Lease tryAcquire(String destination) {
        lock.lock();
        try {
            return fits(destination) ? take(destination) : null;
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code millis} for a permit; null if none came. */
    Lease acquire(String destination, long millis) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (!fits(destination)) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = released.awaitNanos(nanos);
            }
            return take(destination);
        } finally {
            lock.unlock();
        }
    }

    /** Connections open now (for tests and health). */
    int open() {
        lock.lock();
        try {
            return open;
        } finally {
            lock.unlock();
        }
    }

    /** Whether every permit in total is taken (so an idle connection is worth closing). */
    boolean totalFull() {
        lock.lock();
        try {
            return open >= total;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code destination} has all the connections it may have. */
    boolean destinationFull(String destination) {
        lock.lock();
        try {
            return byDestination.getOrDefault(destination, 0) >= perDestination;
        } finally {
            lock.unlock();
        }
    }

    private boolean fits(String destination) {
        return open < total && byDestination.getOrDefault(destination, 0) < perDestination;
    }

    private Lease take(String destination) {
        open++;
        byDestination.merge(destination, 1, Integer::sum);
        return new Lease(destination);
    }
}
