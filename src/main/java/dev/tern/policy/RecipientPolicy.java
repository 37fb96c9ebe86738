package dev.tern.policy;

import dev.tern.mail.Address;
import dev.tern.store.Directory;

/**
 * RCPT-time checks (RFC 5321 §3.3): mail for a local domain must reach an existing user, alias or catch-all
 * ({@code 550 5.1.1} otherwise, so the sender learns at once rather than by a bounce); mail for any other
 * domain is relaying and is refused ({@code 550 5.7.1}) unless the client may relay (invariant 3).
 *
 * <p>Address tricks need no special case here because the parser keeps them intact: {@code user%other@local},
 * {@code user!other@local} and {@code "user@other"@local} are local parts of a local domain that name no
 * user; a source route {@code @local:user@other} is dropped by the parser, leaving {@code user@other}.
 */
public final class RecipientPolicy {

    private final Directory directory;

    public RecipientPolicy(Directory directory) {
        this.directory = directory;
    }

    /**
     * @param recipient  the forward-path
     * @param mayRelay   whether this client may send to other domains (authenticated or trusted network)
     */
    public Verdict check(Address recipient, boolean mayRelay) {
        if (recipient.domain().isAddressLiteral() || !directory.isLocalDomain(recipient.domain())) {
            return mayRelay ? Verdict.ACCEPT : Verdict.permanent(550, "5.7.1", "Relaying denied");
        }
        if (directory.resolve(recipient).isEmpty()) {
            return Verdict.permanent(550, "5.1.1", "No such user here");
        }
        return Verdict.ACCEPT;
    }

    /** Whether the address's domain is served here (for logging and routing decisions). */
    public boolean isLocal(Address address) {
        return !address.isNull() && !address.domain().isAddressLiteral() && directory.isLocalDomain(address.domain());
    }
}
