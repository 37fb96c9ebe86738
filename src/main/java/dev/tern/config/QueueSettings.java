package dev.tern.config;

import java.time.Duration;

/**
 * Queue and delivery settings.
 *
 * @param retryInitial      first delay after a temporary failure (Postfix: 5 minutes)
 * @param retryMax          the longest delay between attempts (Postfix: about an hour)
 * @param lifetime          how long a message may stay before its recipients fail (Postfix: 5 days)
 * @param journal           whether small messages are committed to the spool's journal (one append to a shared
 *                          segment file) rather than a file each (docs/storage.md, "The journal")
 *
 * <p>How many deliveries run at once is the couriers' business, in lanes that cannot starve each other:
 * {@link DeliverySettings#localThreads()} for mailboxes, the connection limits for other servers.
 */
public record QueueSettings(Duration retryInitial, Duration retryMax, Duration lifetime, boolean journal) {

    /** The retry schedule with the journal on, as by default. */
    public QueueSettings(Duration retryInitial, Duration retryMax, Duration lifetime) {
        this(retryInitial, retryMax, lifetime, true);
    }

    public static QueueSettings defaults() {
        return new QueueSettings(Duration.ofMinutes(5), Duration.ofMinutes(60), Duration.ofDays(5), true);
    }
}
