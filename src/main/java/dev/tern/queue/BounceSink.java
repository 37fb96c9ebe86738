package dev.tern.queue;

import dev.tern.delivery.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where the queue reports what a sender may have to be told, so that a delivery status notification
 * (RFC 3464) can be sent: failures always, successes and delays when asked for (RFC 3461 §4.1 NOTIFY).
 * Called on a delivery thread after the attempt, while the message (and its content, for RET=FULL) is still
 * in the spool, and before the outcome is recorded; a crash in between may report the same outcome twice,
 * never lose it.
 */
public interface BounceSink {

    /**
     * Recipients that failed for good. Return only once the notice is durable (committed to the spool).
     *
     * @throws java.io.UncheckedIOException when the notice cannot be made durable: the queue then keeps these
     *         recipients open and reports them again after the next attempt, so a bounce is never lost
     */
    void failed(StoredMessage message, List<Outcome> failures);

    /** Recipients delivered in this attempt; a sink sends a notice to those that asked ({@code NOTIFY=SUCCESS}). */
    default void delivered(StoredMessage message, List<Outcome> delivered) {
    }

    /**
     * Recipients still waiting {@link #delayWarning()} after arrival; called once per message.
     *
     * @param retryUntil when the queue gives up on them (arrival plus the queue lifetime)
     */
    default void delayed(StoredMessage message, List<Outcome> deferred, Instant retryUntil) {
    }

    /** How long after arrival {@link #delayed} is called; {@link Duration#ZERO} (the default) for never. */
    default Duration delayWarning() {
        return Duration.ZERO;
    }
}
