package dev.tern.queue;

import java.time.Instant;

/**
 * Where one recipient of a queued message stands.
 *
 * @param status      pending (not tried yet), delivered, deferred or failed
 * @param attempts    attempts made so far
 * @param nextAttempt when a deferred recipient is tried again, else null
 * @param code        the RFC 3463 status of the last attempt, or null before the first
 * @param detail      the last error (deferred), the reason (failed) or where it went (delivered), or null
 */
public record RecipientState(Status status, int attempts, Instant nextAttempt, String code, String detail) {

    public enum Status { PENDING, DELIVERED, DEFERRED, FAILED }

    public static final RecipientState NEW = new RecipientState(Status.PENDING, 0, null, null, null);

    /** Still to be attempted: pending or deferred. */
    public boolean open() {
        return status == Status.PENDING || status == Status.DEFERRED;
    }
}
