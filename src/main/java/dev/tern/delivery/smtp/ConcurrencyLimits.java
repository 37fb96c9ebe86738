package dev.tern.delivery.smtp;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Counting permits for outbound connections: at most {@code total} open at once, and at most
 * {@code perDestination} to one destination, as Postfix bounds {@code default_destination_concurrency_limit}.
 * Two semaphores in one lock, so that a connection takes both or neither, and a destination's counter
 * disappears when it drops to zero (no map that grows with every domain ever seen).
 *
 * <p>Waiters wait per destination, and a permit given back wakes one waiter that can use it, not all: the queue
 * has no pool of its own, so thousands of messages may wait here for a busy destination. When the total was the
 * limit, the freed permit goes round the waiting destinations in turn, so a destination with many waiting
 * messages (a slow or hostile one, whose attempts end at their deadline) cannot take every permit that comes
 * back while another destination waits. A wake-up that is missed (a waiter timing out meanwhile) costs at most
 * the caller's next poll.
 */
final class ConcurrencyLimits {

    private final int total;
    private final int perDestination;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Integer> byDestination = new HashMap<>();
    /**
     * Deliveries waiting for one of a full destination's connections ({@link #awaitTurn}), apart from the permit
     * waiters so that they never take part in the turn of {@link #waiting}.
     */
    private final Map<String, Waiting> idleWaiting = new HashMap<>();
    /** Destinations with waiters, in the order their turn comes when a permit of the total is given back. */
    private final Map<String, Waiting> waiting = new LinkedHashMap<>();
    private int open;

    /** The waiters for one destination. */
    private static final class Waiting {
        final Condition turn;
        int count;

        Waiting(Condition turn) {
            this.turn = turn;
        }
    }

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
                    boolean totalWasFull = open >= total;
                    open--;
                    byDestination.computeIfPresent(destination, (k, n) -> n == 1 ? null : n - 1);
                    wakeOne(destination, totalWasFull);
                    if (!totalWasFull) {
                        wakeIdleWaiter(destination); // no turn to keep: its destination has room again
                    }
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

    /**
     * Waits up to {@code millis} for a change that may let a delivery to {@code destination} go on, without taking
     * anything: a permit of it given back or one of its connections going idle ({@link #idleConnection}). Returns
     * at once when it is not full or {@code idleNow} says a connection is idle already (asked under this lock, so
     * a connection going idle after the question still wakes the caller). These waiters are kept apart from the
     * permit waiters: they take no part in the turn a freed permit of the total goes round.
     */
    void awaitTurn(String destination, long millis, BooleanSupplier idleNow) throws InterruptedException {
        lock.lock();
        try {
            if (!destinationFullLocked(destination) || idleNow.getAsBoolean()) {
                return;
            }
            Waiting w = enter(idleWaiting, destination);
            try {
                w.turn.awaitNanos(TimeUnit.MILLISECONDS.toNanos(millis));
            } finally {
                leave(idleWaiting, destination, w);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * One of {@code destination}'s connections went idle, keeping its permit for the next message: one waiter of
     * the destination is woken to take it, rather than waiting for a permit that will not come back until the
     * idle connection expires.
     */
    void idleConnection(String destination) {
        lock.lock();
        try {
            wakeIdleWaiter(destination);
        } finally {
            lock.unlock();
        }
    }

    /** Counts a waiter of {@code destination} in {@code waiters}. Called with the lock held. */
    private Waiting enter(Map<String, Waiting> waiters, String destination) {
        Waiting w = waiters.computeIfAbsent(destination, k -> new Waiting(lock.newCondition()));
        w.count++;
        return w;
    }

    /** The waiter is done; the last one takes the destination out of {@code waiters}. Called with the lock held. */
    private static void leave(Map<String, Waiting> waiters, String destination, Waiting w) {
        if (--w.count == 0) {
            waiters.remove(destination, w);
        }
    }

    /** Called with the lock held. */
    private void wakeIdleWaiter(String destination) {
        Waiting w = idleWaiting.get(destination);
        if (w != null) {
            w.turn.signal();
        }
    }

    /** Waits up to {@code millis} for a permit; null if none came. */
    Lease acquire(String destination, long millis) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            if (fits(destination)) {
                return take(destination);
            }
            Waiting w = enter(waiting, destination);
            try {
                while (!fits(destination)) {
                    if (nanos <= 0) {
                        return null;
                    }
                    nanos = w.turn.awaitNanos(nanos);
                }
                return take(destination);
            } finally {
                leave(waiting, destination, w);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * After a permit of {@code released} came back: if the total was the limit, the first waiting destination
     * that may have another connection gets it and goes to the end of the turn; otherwise only the released
     * destination's own waiters can use it.
     */
    private void wakeOne(String released, boolean totalWasFull) {
        String chosen = null;
        if (totalWasFull) {
            for (String d : waiting.keySet()) {
                if (byDestination.getOrDefault(d, 0) < perDestination) {
                    chosen = d;
                    break;
                }
            }
        } else if (waiting.containsKey(released)) {
            chosen = released;
        }
        if (chosen != null) {
            Waiting w = waiting.remove(chosen);
            waiting.put(chosen, w);
            w.turn.signal();
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
            return destinationFullLocked(destination);
        } finally {
            lock.unlock();
        }
    }

    private boolean destinationFullLocked(String destination) {
        return byDestination.getOrDefault(destination, 0) >= perDestination;
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
