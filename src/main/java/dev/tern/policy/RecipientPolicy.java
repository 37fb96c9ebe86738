package dev.tern.policy;

import dev.tern.mail.Address;
import dev.tern.observe.MailLog;
import dev.tern.srs.Srs;
import dev.tern.store.Directory;
import dev.tern.store.MailboxQuota;
import dev.tern.store.Resolution;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * RCPT-time checks (RFC 5321 §3.3): mail for a local domain must reach an existing user, alias or catch-all
 * ({@code 550 5.1.1} otherwise, so the sender learns at once rather than by a bounce); mail for any other
 * domain is relaying and is refused ({@code 550 5.7.1}) unless the client may relay (invariant 3).
 *
 * <p>An alias may forward to other domains: it is a recipient here like any other. A recipient whose local
 * mailboxes are all full, and who forwards nowhere, gets {@code 452 4.2.2} (RFC 3463 X.2.2 mailbox full; 452
 * as RFC 5321 §4.2.2 "insufficient system storage", so the client tries again later rather than bouncing).
 *
 * <p>SRS addresses ({@code SRS0=...}, {@code SRS1=...}) are the bounces of mail we forwarded: one that
 * verifies (hash and age) is accepted from anyone, since it names the original sender we rewrote; one that
 * does not is refused with {@code 550 5.1.1}: RFC 3463 X.1.1 "the mailbox specified in the address does not
 * exist", which is what a forged or expired SRS address is. X.7.1 ("delivery not authorized") would tell
 * the sender a policy could let it through; nothing will, so the address is simply unknown.
 *
 * <p>Where a mailbox server holds a domain's users ({@code [lmtp] rcpt_check}), the {@link MailboxCheck} is asked
 * first and its answer decides: {@code 550 5.1.1} for an unknown user, {@code 452 4.2.2} for a full mailbox
 * (RFC 3463 §3.3: mailbox full, a temporary condition), and {@code 451 4.3.0} when it cannot answer, never a
 * 5xx: a server that is down must not bounce mail its users are waiting for.
 *
 * <p>Address tricks need no special case here because the parser keeps them intact: {@code user%other@local},
 * {@code user!other@local} and {@code "user@other"@local} are local parts of a local domain that name no
 * user; a source route {@code @local:user@other} is dropped by the parser, leaving {@code user@other}.
 */
public final class RecipientPolicy {

    private final Directory directory;
    private final MailboxQuota quota;
    private final Supplier<Srs> srs;
    private final MailboxCheck mailboxes;

    public RecipientPolicy(Directory directory) {
        this(directory, MailboxQuota.NONE, () -> null, MailboxCheck.NONE);
    }

    /** As above, asking {@code mailboxes} about the recipients of the domains it serves. */
    public RecipientPolicy(Directory directory, MailboxCheck mailboxes) {
        this(directory, MailboxQuota.NONE, () -> null, mailboxes);
    }

    /** With Tern's own quotas and SRS, asking no mailbox server. */
    public RecipientPolicy(Directory directory, MailboxQuota quota, Supplier<Srs> srs) {
        this(directory, quota, srs, MailboxCheck.NONE);
    }

    /**
     * @param quota     whether a local user's mailbox is full (Tern's own Maildir delivery)
     * @param srs       the SRS codec of the running configuration, or null while SRS is off
     * @param mailboxes the mailbox server's answers for the domains it serves ({@code [lmtp] rcpt_check})
     */
    public RecipientPolicy(Directory directory, MailboxQuota quota, Supplier<Srs> srs, MailboxCheck mailboxes) {
        this.directory = directory;
        this.quota = quota;
        this.srs = srs;
        this.mailboxes = mailboxes;
    }

    /**
     * @param recipient  the forward-path
     * @param mayRelay   whether this client may send to other domains (authenticated or trusted network)
     */
    public Verdict check(Address recipient, boolean mayRelay) {
        Srs codec = srs.get();
        if (codec != null && Srs.isSrs(recipient) && recipient.domain().sameAs(codec.domain())) {
            return checkSrs(codec, recipient);
        }
        if (recipient.domain().isAddressLiteral() || !directory.isLocalDomain(recipient.domain())) {
            return mayRelay ? Verdict.ACCEPT : Verdict.permanent(550, "5.7.1", "Relaying denied");
        }
        MailboxCheck.Answer answer = ask(recipient);
        return switch (answer.kind()) {
            case NOT_ASKED -> ownMailboxes(recipient);
            case EXISTS -> Verdict.ACCEPT;
            case UNKNOWN -> NO_SUCH_USER;
            case FULL -> Verdict.temporary(452, "4.2.2", "Mailbox full, try again later");
            case UNAVAILABLE -> {
                MailLog.event(null, "rcpt-check").address("to", recipient).with("result", "unavailable")
                        .with("reason", answer.reason()).warn();
                yield Verdict.temporary(451, "4.3.0", "Cannot check the recipient now, try again later");
            }
        };
    }

    private static final Verdict NO_SUCH_USER = Verdict.permanent(550, "5.1.1", "No such user here");

    /** Tern's own directory and quotas decide, where no mailbox server is asked. */
    private Verdict ownMailboxes(Address recipient) {
        Resolution reach = directory.expand(recipient);
        if (!reach.reachesAnyone()) {
            return NO_SUCH_USER;
        }
        if (reach.forwards().isEmpty() && allFull(reach)) {
            return Verdict.temporary(452, "4.2.2", "Mailbox full");
        }
        return Verdict.ACCEPT;
    }

    /** The mailbox server's answer; a check that throws is a server that cannot answer, never a refusal. */
    private MailboxCheck.Answer ask(Address recipient) {
        try {
            return mailboxes.check(recipient);
        } catch (RuntimeException e) {
            return MailboxCheck.Answer.unavailable(e.toString());
        }
    }

    private static Verdict checkSrs(Srs codec, Address recipient) {
        return switch (codec.reverse(recipient, true)) {
            case Srs.Valid valid -> Verdict.ACCEPT;
            case Srs.Invalid invalid -> {
                MailLog.event(null, "srs-refused").address("to", recipient).with("reason", invalid.reason()).log();
                yield Verdict.permanent(550, "5.1.1", "Invalid SRS address");
            }
            case Srs.NotSrs not -> Verdict.permanent(550, "5.1.1", "No such user here");
        };
    }

    /** Every local mailbox reached is at its quota; one that cannot be read counts as not full. */
    private boolean allFull(Resolution reach) {
        for (String user : reach.users()) {
            try {
                if (!quota.isFull(user)) {
                    return false;
                }
            } catch (IOException | RuntimeException e) {
                return false; // delivery checks the quota again, and defers if need be
            }
        }
        return true;
    }

    /** Whether the address's domain is served here (for logging and routing decisions). */
    public boolean isLocal(Address address) {
        return !address.isNull() && !address.domain().isAddressLiteral() && directory.isLocalDomain(address.domain());
    }
}
