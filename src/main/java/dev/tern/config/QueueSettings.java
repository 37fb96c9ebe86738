package dev.tern.config;

import java.time.Duration;

/**
 * Queue and delivery settings.
 *
 * @param retryInitial      first delay after a temporary failure (Postfix: 5 minutes)
 * @param retryMax          the longest delay between attempts (Postfix: about an hour)
 * @param lifetime          how long a message may stay before its recipients fail (Postfix: 5 days)
 *
 * <p>How many deliveries run at once is the couriers' business, in lanes that cannot starve each other:
 * {@link DeliverySettings#localThreads()} for mailboxes, the connection limits for other servers.
 */
public record QueueSettings(Duration retryInitial, Duration retryMax, Duration lifetime) {

    public static QueueSettings defaults() {
        return new QueueSettings(Duration.ofMinutes(5), Duration.ofMinutes(60), Duration.ofDays(5));
    }
}
