package dev.tern.config;

import java.util.Optional;

/** Reads {@code [mailbox]} into {@link MailboxSettings}; docs/quotas.md lists the keys. */
final class MailboxReader {

    private MailboxReader() {
    }

    static MailboxSettings read(Section top, MailboxSettings d) throws ConfigException {
        Optional<Section> table = top.table("mailbox");
        if (table.isEmpty()) {
            return d;
        }
        Section s = table.get();
        long quota = s.size("default_quota", d.defaultQuota(), 0, MailboxSettings.MAX_QUOTA);
        s.refuseUnknown();
        return new MailboxSettings(quota);
    }
}
