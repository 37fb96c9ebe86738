package dev.tern.store;

import java.io.IOException;

/** Whether a local user's mailbox is full, asked at RCPT so that mail for it is refused before it is taken. */
@FunctionalInterface
public interface MailboxQuota {

    /** No quotas anywhere. */
    MailboxQuota NONE = user -> false;

    /**
     * @param user a canonical user as {@link Directory#resolve} returns it
     * @return true when the mailbox has reached its quota
     * @throws IOException when the quota cannot be read (the caller lets the message in: delivery checks again)
     */
    boolean isFull(String user) throws IOException;
}
