package dev.tern.queue;

import java.time.Instant;

/**
 * How the queue of a running server stands, for {@code tern status} and the metrics, in Postfix's words.
 *
 * @param active   messages being attempted now or due for an attempt (Postfix's active and incoming queues)
 * @param deferred messages waiting for their next attempt after a temporary failure
 * @param held     messages held by a rule or the operator, never attempted until released
 * @param oldest   when the oldest message still queued arrived, or null when the queue is empty
 */
public record QueueCounts(int active, int deferred, int held, Instant oldest) {

    /** Every message in the queue. */
    public int total() {
        return active + deferred + held;
    }
}
