package dev.tern.store;

import java.io.IOException;

/** A message refused because it would pass the mailbox's quota (RFC 3463 X.2.2: mailbox full). */
public final class QuotaExceededException extends IOException {

    public QuotaExceededException(String message) {
        super(message);
    }
}
