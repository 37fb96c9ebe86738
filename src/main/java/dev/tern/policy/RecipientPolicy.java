package dev.tern.policy;

import dev.tern.mail.Address;
import dev.tern.observe.MailLog;
import dev.tern.store.Directory;

/**
 * RCPT-time checks (RFC 5321 §3.3): mail for a local domain must reach an existing user, alias or catch-all
 * ({@code 550 5.1.1} otherwise, so the sender learns at once rather than by a bounce); mail for any other
 * domain is relaying and is refused ({@code 550 5.7.1}) unless the client may relay (invariant 3).
 *
 * <p>Address tricks need no special case here because the parser keeps them intact: {@code user%other@local},
 * {@code user!other@local} and {@code "user@other"@local} are local parts of a local domain that name no
 * user; a source route {@code @local:user@other} is dropped by the parser, leaving {@code user@other}.
 *
 * <p>Where a mailbox server holds a domain's users ({@code [lmtp] rcpt_check}), the {@link MailboxCheck} is asked
 * first and its answer decides: {@code 550 5.1.1} for an unknown user, {@code 452 4.2.2} for a full mailbox
 * (RFC 3463 §3.3: mailbox full, a temporary condition), and {@code 451 4.3.0} when it cannot answer, never a
 * 5xx: a server that is down must not bounce mail its users are waiting for.
 */
public final class RecipientPolicy {

    private final Directory directory;
    private final MailboxCheck mailboxes;

    public RecipientPolicy(Directory directory) {
        this(directory, MailboxCheck.NONE);
    }

    /** As above, asking {@code mailboxes} about the recipients of the domains it serves. */
    public RecipientPolicy(Directory directory, MailboxCheck mailboxes) {
        this.directory = directory;
        this.mailboxes = mailboxes;
    }

    /**
     * @param recipient  the forward-path
     * @param mayRelay   whether this client may send to other domains (authenticated or trusted network)
     */
    public Verdict check(Address recipient, boolean mayRelay) {
        if (recipient.domain().isAddressLiteral() || !directory.isLocalDomain(recipient.domain())) {
            return mayRelay ? Verdict.ACCEPT : Verdict.permanent(550, "5.7.1", "Relaying denied");
        }
        MailboxCheck.Answer answer = ask(recipient);
        return switch (answer.kind()) {
            case NOT_ASKED -> directory.resolve(recipient).isEmpty() ? NO_SUCH_USER : Verdict.ACCEPT;
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

    /** The mailbox server's answer; a check that throws is a server that cannot answer, never a refusal. */
    private MailboxCheck.Answer ask(Address recipient) {
        try {
            return mailboxes.check(recipient);
        } catch (RuntimeException e) {
            return MailboxCheck.Answer.unavailable(e.toString());
        }
    }

    /** Whether the address's domain is served here (for logging and routing decisions). */
    public boolean isLocal(Address address) {
        return !address.isNull() && !address.domain().isAddressLiteral() && directory.isLocalDomain(address.domain());
    }
}
