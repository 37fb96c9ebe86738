package dev.tern.queue.dsn;

import dev.tern.mail.Address;
import dev.tern.queue.StoredMessage;
import java.util.List;

/**
 * One notification to compose: about which message, to whom, of what kind, for which recipients.
 *
 * @param original   the message reported on, still in the spool
 * @param to         who gets the notice: the original sender, or the postmaster for a failed bounce
 * @param kind       what kind of notice
 * @param recipients the recipients reported, all of the same action
 */
public record Notice(StoredMessage original, Address to, Kind kind, List<ReportedRecipient> recipients) {

    public Notice {
        recipients = List.copyOf(recipients);
    }

    /** The kinds of notice, each with its subject line. */
    public enum Kind {
        FAILURE("Undelivered Mail Returned to Sender"),
        DELAY("Delayed Mail (still being retried)"),
        SUCCESS("Successful Mail Delivery Report"),
        /** A bounce that could not be delivered, sent to the postmaster (a "double bounce"). */
        POSTMASTER_COPY("Postmaster Copy: Undelivered Bounce");

        private final String subject;

        Kind(String subject) {
            this.subject = subject;
        }

        public String subject() {
            return subject;
        }
    }
}
