package dev.tern.config;

/**
 * Tern's own Maildir delivery, read from {@code [mailbox]} by {@link MailboxReader}.
 *
 * @param defaultQuota the storage quota of a user without one of their own ({@code tern user set --quota}),
 *                     in octets; 0 for none. Kept in each mailbox's Maildir++ {@code maildirsize}, as Dovecot
 *                     and Courier keep it, and checked at RCPT and at delivery.
 */
public record MailboxSettings(long defaultQuota) {

    /** No quota unless the operator sets one: a limit on someone's mail is the operator's choice. */
    public static final long DEFAULT_QUOTA = 0;
    /** The largest quota accepted: a petabyte, far above any disk, well inside a long. */
    public static final long MAX_QUOTA = 1L << 50;

    public static MailboxSettings defaults() {
        return new MailboxSettings(DEFAULT_QUOTA);
    }
}
