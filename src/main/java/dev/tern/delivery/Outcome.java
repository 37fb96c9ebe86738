package dev.tern.delivery;

import dev.tern.mail.Recipient;

/**
 * What happened to one recipient in one attempt.
 *
 * @param recipient    the recipient
 * @param status       delivered, deferred (try again later) or failed (bounce)
 * @param enhancedCode RFC 3463 status, e.g. {@code 2.0.0}, {@code 4.3.0}, {@code 5.1.1}
 * @param detail       for the log and the bounce: the remote reply or a local reason
 * @param where        the mailbox or remote host it went to or was refused by
 */
public record Outcome(Recipient recipient, Status status, String enhancedCode, String detail, String where) {

    public enum Status { DELIVERED, DEFERRED, FAILED }

    public static Outcome delivered(Recipient r, String where) {
        return new Outcome(r, Status.DELIVERED, "2.0.0", "delivered", where);
    }

    public static Outcome deferred(Recipient r, String enhancedCode, String detail, String where) {
        return new Outcome(r, Status.DEFERRED, enhancedCode, detail, where);
    }

    public static Outcome failed(Recipient r, String enhancedCode, String detail, String where) {
        return new Outcome(r, Status.FAILED, enhancedCode, detail, where);
    }
}
