package dev.tern.queue;

import java.time.Instant;

/**
 * Time as the queue runner sees it: what time it is, and "run this at that time". A seam so that tests drive
 * retries and expiry with a manual clock instead of sleeping. Tasks must be quick: the runner's tasks only
 * hand a message to a delivery thread.
 */
public interface DelayScheduler extends AutoCloseable {

    Instant now();

    /** Runs {@code task} once, at or soon after {@code at} (at once if it is past). */
    Cancellable schedule(Instant at, Runnable task);

    /** Stops running tasks; pending ones are dropped. */
    @Override
    void close();

    /** A scheduled task that may still be called off. */
    interface Cancellable {
        void cancel();
    }
}
