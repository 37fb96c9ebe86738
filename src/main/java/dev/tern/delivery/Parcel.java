package dev.tern.delivery;

import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.mail.Recipient;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * What a courier is asked to carry: one queued message and the recipients still pending for this attempt.
 *
 * @param id         the queue id (for the mail log)
 * @param envelope   the envelope as received
 * @param recipients the recipients to attempt now (a subset of the envelope's)
 * @param content    the stored content: the header fields Tern added at the end of DATA (Authentication-Results,
 *                   DKIM-Signature), then Tern's {@code Received:} header and the message
 * @param folder     the local mailbox folder to deliver into ({@code Junk} for DMARC quarantine), or null for
 *                   the inbox; remote delivery ignores it
 */
public record Parcel(QueueId id, Envelope envelope, List<Recipient> recipients, Content content, String folder) {

    public Parcel {
        recipients = List.copyOf(recipients);
    }

    /** A parcel for the inbox. */
    public Parcel(QueueId id, Envelope envelope, List<Recipient> recipients, Content content) {
        this(id, envelope, recipients, content, null);
    }

    /** The same message for some of its recipients. */
    public Parcel withRecipients(List<Recipient> some) {
        return new Parcel(id, envelope, some, content, folder);
    }

    /** The message bytes in the spool, readable as often as needed. */
    public interface Content {
        InputStream open() throws IOException;

        long size();
    }
}
