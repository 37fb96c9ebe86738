package dev.tern.delivery.smtp;

import java.util.ArrayDeque;
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
 * <p>A permit given back is handed to one waiter that can use it, under the lock: it is that waiter's before
 * the waiter even wakes, so no delivery that happens to ask in between (a new one, or one whose wait just
 * ended) can take it on the way. The queue has no pool of its own, so thousands of messages may wait here for a
 * busy destination; the destinations with waiters take turns, and one that was served goes to the end of the
 * turn. A destination with many waiting messages (a slow or hostile one, whose attempts end at their deadline)
 * therefore cannot take every permit that comes back while another destination waits.
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
    /** Permit waiters by destination, first come first served; the destinations in the order their turn comes. */
    private final Map<String, ArrayDeque<Ticket>> waiting = new LinkedHashMap<>();
    private int open;

    /** The deliveries waiting for one of a destination's connections to go idle. */
    private static final class Waiting {
        final Condition turn;
        int count;

        Waiting(Condition turn) {
            this.turn = turn;
        }
    }

    /** One delivery waiting for a permit; {@link #handOn} puts the permit in it before waking it. */
    private final class Ticket {
        final Condition handed = lock.newCondition();
        Lease lease;
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
                    open--;
                    byDestination.computeIfPresent(destination, (k, n) -> n == 1 ? null : n - 1);
                    if (!handOn()) {
                        wakeIdleWaiter(destination); // the permit is free: its destination has room again
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
            Waiting w = idleWaiting.computeIfAbsent(destination, k -> new Waiting(lock.newCondition()));
            w.count++;
            try {
                w.turn.awaitNanos(TimeUnit.MILLISECONDS.toNanos(millis));
            } finally {
                if (--w.count == 0) { // the last one takes the destination out
                    idleWaiting.remove(destination, w);
                }
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

    /** Called with the lock held. */
    private void wakeIdleWaiter(String destination) {
        Waiting w = idleWaiting.get(destination);
        if (w != null) {
            w.turn.signal();
        }
    }

    /**
     * Waits up to {@code millis} for a permit; null if none came. A permit given back meanwhile is handed to the
     * first waiter of the first destination in turn that has room for it.
     */
    Lease acquire(String destination, long millis) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            if (fits(destination)) {
                return take(destination);
            }
            Ticket ticket = new Ticket();
            waiting.computeIfAbsent(destination, k -> new ArrayDeque<>()).addLast(ticket);
            try {
                while (ticket.lease == null && nanos > 0) {
                    nanos = ticket.handed.awaitNanos(nanos);
                }
            } catch (InterruptedException e) {
                if (ticket.lease != null) {
                    ticket.lease.release(); // handed over while the interrupt was on its way: pass it on
                } else {
                    withdraw(destination, ticket);
                }
                throw e;
            }
            if (ticket.lease == null) {
                withdraw(destination, ticket);
            }
            return ticket.lease;
        } finally {
            lock.unlock();
        }
    }

    /** A waiter whose time ran out leaves; the last one takes its destination out of the turn. Lock held. */
    private void withdraw(String destination, Ticket ticket) {
        ArrayDeque<Ticket> tickets = waiting.get(destination);
        tickets.remove(ticket);
        if (tickets.isEmpty()) {
            waiting.remove(destination);
        }
    }

    /**
     * Hands a free permit to the first waiter of the first destination in turn that has room for one; that
     * destination goes to the end of the turn. False when no waiter can use one. Called with the lock held,
     * after every change that may free a permit, so that no waiter that fits is ever left waiting.
     */
    private boolean handOn() {
        for (String destination : waiting.keySet()) {
            if (fits(destination)) { // the loop ends here: the map changes
                ArrayDeque<Ticket> tickets = waiting.remove(destination);
                Ticket first = tickets.removeFirst();
                if (!tickets.isEmpty()) {
                    waiting.put(destination, tickets);
                }
                first.lease = take(destination);
                first.handed.signal();
                return true;
            }
        }
        return false;
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
