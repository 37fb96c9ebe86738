package dev.tern.queue;

import dev.tern.delivery.Parcel;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;

/**
 * A committed message as read back from the spool.
 *
 * @param id       its queue id
 * @param envelope the envelope as committed
 * @param content  the content (trace header first), without the spool's trailer
 */
public record StoredMessage(QueueId id, Envelope envelope, Parcel.Content content) {
}
