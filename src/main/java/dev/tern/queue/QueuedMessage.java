package dev.tern.queue;

import dev.tern.mail.Address;
import dev.tern.mail.QueueId;
import dev.tern.mail.Recipient;
import java.time.Instant;
import java.util.List;

/**
 * One line of a queue listing ({@code tern queue list}): read-only, read from the spool files.
 *
 * @param id          queue id
 * @param arrival     when the message was accepted
 * @param size        content size in bytes
 * @param sender      the reverse-path ({@link Address#NULL} for bounces)
 * @param recipients  every envelope recipient with its delivery state
 * @param nextAttempt the next scheduled attempt, or null when it is due now (never attempted yet)
 * @param hold        why the message is held, or null when it is not
 */
public record QueuedMessage(QueueId id, Instant arrival, long size, Address sender, List<Entry> recipients,
                            Instant nextAttempt, Hold hold) {

    public QueuedMessage {
        recipients = List.copyOf(recipients);
    }

    /** A recipient and where it stands. */
    public record Entry(Recipient recipient, RecipientState state) {
    }
}
