package dev.tern.delivery;

import dev.tern.mail.Envelope;
import java.io.IOException;

/**
 * Where a forwarded copy of a message goes: queued again as a message of its own, with the envelope the
 * forwarding made (the rewritten sender, the addresses in other domains), so that it has its own retries and
 * bounces. The queue implements it on its spool; the courier cannot reach the queue otherwise.
 */
@FunctionalInterface
public interface Forwarder {

    /**
     * Queues {@code parcel}'s content, unchanged, under {@code envelope}; returns only once it is durable.
     *
     * @return the queue id of the copy, for the mail log
     * @throws IOException when the copy cannot be made durable: the original recipients then stay deferred
     */
    String forward(Parcel parcel, Envelope envelope) throws IOException;
}
