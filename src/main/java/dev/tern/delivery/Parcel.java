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
 * @param content    the stored content, starting with Tern's {@code Received:} header
 */
public record Parcel(QueueId id, Envelope envelope, List<Recipient> recipients, Content content) {

    public Parcel {
        recipients = List.copyOf(recipients);
    }

    /** The message bytes in the spool, readable as often as needed. */
    public interface Content {
        InputStream open() throws IOException;

        long size();
    }
}
