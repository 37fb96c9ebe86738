package dev.tern.queue;

import dev.tern.delivery.Parcel;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;

/**
 * A committed message as read back from the spool.
 *
 * @param id       its queue id
 * @param envelope the envelope as committed
 * @param content  the content (header fields the session added, then our trace header), without the spool's
 *                 trailer
 * @param folder   the mailbox folder local delivery goes to ({@code Junk}), or null for the inbox
 */
public record StoredMessage(QueueId id, Envelope envelope, Parcel.Content content, String folder) {

    public StoredMessage(QueueId id, Envelope envelope, Parcel.Content content) {
        this(id, envelope, content, null);
    }
}
