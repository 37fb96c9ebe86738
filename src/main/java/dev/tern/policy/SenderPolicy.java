package dev.tern.policy;

import dev.tern.mail.Address;
import dev.tern.store.Directory;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who an authenticated user may send as (RFC 6409 §6.1; Postfix's {@code reject_sender_login_mismatch}):
 * their own address (with any {@code +tag}), the aliases that reach them (never a catch-all), and what the
 * operator allows them in {@code [submission.allowed_senders]}: addresses, or whole domains as {@code @domain}.
 * The null reverse-path is allowed: it announces a notification, it claims no identity.
 */
public final class SenderPolicy {

    private final Directory directory;
    private final Map<String, List<String>> allowed;

    /**
     * @param allowed per user (canonical, lower case), extra addresses or {@code @domain}s
     */
    public SenderPolicy(Directory directory, Map<String, List<String>> allowed) {
        this.directory = directory;
        this.allowed = Map.copyOf(allowed);
    }

    /** Accept, or {@code 553 5.7.1} naming the address and the user. */
    public Verdict check(String user, Address sender) {
        if (sender.isNull() || directory.ownersOf(sender).contains(user) || explicitlyAllowed(user, sender)) {
            return new Verdict(Verdict.Kind.ACCEPT, 250, "2.1.0", "Sender OK");
        }
        return Verdict.permanent(553, "5.7.1", "<" + sender + ">: Sender address rejected: not owned by user " + user);
    }

    private boolean explicitlyAllowed(String user, Address sender) {
        String key = sender.key();
        String domain = "@" + sender.domain().key();
        for (String entry : allowed.getOrDefault(user.toLowerCase(Locale.ROOT), List.of())) {
            String e = entry.toLowerCase(Locale.ROOT);
            if (e.equals(key) || e.equals(domain)) {
                return true;
            }
        }
        return false;
    }
}
