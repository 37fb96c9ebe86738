package dev.tern.policy;

import dev.tern.mail.Address;

/**
 * The seam to a mailbox server that holds some local domains' users (Dovecot behind LMTP): asked at RCPT time,
 * before the recipient is accepted, whether the user exists and has room, so that an unknown user or a full
 * mailbox is refused during the SMTP session instead of bounced after acceptance. {@link #NONE} asks nobody.
 * An implementation may block for a round trip, bounded by its own timeout, and never throws for the server's
 * trouble: it answers {@link Kind#UNAVAILABLE} with the reason.
 */
@FunctionalInterface
public interface MailboxCheck {

    /** Asks nobody: Tern's own directory decides, as without a mailbox server. */
    MailboxCheck NONE = recipient -> Answer.NOT_ASKED;

    /** What the mailbox server said about one recipient of a local domain. */
    Answer check(Address recipient);

    enum Kind {
        /** The address is not the mailbox server's to judge (its domain is delivered to Tern's Maildir). */
        NOT_ASKED,
        /** The user exists and may receive. */
        EXISTS,
        /** No such user. */
        UNKNOWN,
        /** The user exists but the mailbox is over its quota. */
        FULL,
        /** The server did not answer, or answered with a temporary failure. */
        UNAVAILABLE
    }

    /**
     * @param kind   the answer
     * @param reason for the log: the server's reply or what went wrong; never shown to the SMTP client
     */
    record Answer(Kind kind, String reason) {

        public static final Answer NOT_ASKED = new Answer(Kind.NOT_ASKED, null);
        public static final Answer EXISTS = new Answer(Kind.EXISTS, null);

        public static Answer unknown(String reason) {
            return new Answer(Kind.UNKNOWN, reason);
        }

        public static Answer full(String reason) {
            return new Answer(Kind.FULL, reason);
        }

        public static Answer unavailable(String reason) {
            return new Answer(Kind.UNAVAILABLE, reason);
        }
    }
}
