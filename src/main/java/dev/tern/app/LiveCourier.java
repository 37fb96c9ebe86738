package dev.tern.app;

import dev.tern.delivery.Courier;
import dev.tern.delivery.Outcome;
import dev.tern.delivery.Parcel;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The queue's one courier, which hands each parcel to the couriers of the generation current when its
 * attempt starts. After a reload the attempts under way finish with the old couriers (their connections,
 * their deadlines); the old generation's idle connections are closed when its last attempt ends.
 */
final class LiveCourier implements Courier {

    private final AtomicReference<Lease> current;

    LiveCourier(Generation first) {
        this.current = new AtomicReference<>(new Lease(first));
    }

    @Override
    public List<Outcome> deliver(Parcel parcel) {
        Lease lease = take();
        try {
            return lease.generation.courier().deliver(parcel);
        } finally {
            lease.release();
        }
    }

    /** New attempts use {@code next}; the one it replaces is closed once no attempt uses it. */
    void replace(Generation next) {
        current.getAndSet(new Lease(next)).retire();
    }

    /** Closes the current generation's couriers (the process stops; no attempt runs any more). */
    void close() {
        current.get().retire();
    }

    /** A lease on the current generation; a retired one is never taken again. */
    private Lease take() {
        while (true) {
            Lease lease = current.get();
            if (lease.acquire()) {
                return lease;
            }
        }
    }

    /** A generation and the attempts using it; {@code users} is -1 once it is retired and idle (closed). */
    private static final class Lease {
        private final Generation generation;
        private final AtomicInteger users = new AtomicInteger();
        private volatile boolean retired;

        Lease(Generation generation) {
            this.generation = generation;
        }

        boolean acquire() {
            users.incrementAndGet();
            if (retired) {
                release();
                return false;
            }
            return true;
        }

        void release() {
            if (users.decrementAndGet() == 0 && retired && users.compareAndSet(0, -1)) {
                generation.closeCouriers();
            }
        }

        void retire() {
            retired = true;
            if (users.compareAndSet(0, -1)) {
                generation.closeCouriers();
            }
        }
    }
}
