package dev.tern.queue.dsn;

import dev.tern.mail.Recipient;
import java.time.Instant;

/**
 * One recipient's block in a delivery status report (RFC 3464 §2.3).
 *
 * @param recipient      the envelope recipient, with its ORCPT
 * @param action         what became of it
 * @param status         the RFC 3463 status, e.g. {@code 5.1.1}
 * @param remoteMta      the remote server that answered, or null (local delivery, or unknown)
 * @param diagnostic     the remote server's reply or the local reason, or null
 * @param lastAttempt    when it was last attempted
 * @param willRetryUntil for {@link Action#DELAYED}: when the queue gives up; else null
 */
public record ReportedRecipient(Recipient recipient, Action action, String status, String remoteMta,
                                String diagnostic, Instant lastAttempt, Instant willRetryUntil) {
}
