package dev.tern.store;

import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import java.util.List;

/**
 * Who lives here: local domains, users and aliases, as the receiver and the local courier ask about them.
 * Implementations see changes made by the {@code tern} command without a restart.
 */
public interface Directory {

    /** Whether mail for this domain is ours to store (compared case-insensitively, IDNA-aware). */
    boolean isLocalDomain(Domain domain);

    /**
     * The local users (canonical {@code local@domain}, lower case) that mail to {@code recipient} reaches:
     * the user itself, an alias expanded (possibly to several users), a {@code +tag} stripped
     * ({@code user+tag@} reaches {@code user}), a catch-all; {@code postmaster@} of every local domain
     * always resolves (RFC 5321 §4.5.1). Empty when nobody: the caller replies 550 5.1.1.
     */
    List<String> resolve(Address recipient);

    /**
     * Like {@link #resolve}, with the addresses in other domains that aliases forward to besides the local
     * users. A directory without forwarding answers with the local users alone.
     */
    default Resolution expand(Address recipient) {
        return new Resolution(resolve(recipient), List.of());
    }

    /**
     * The storage quota of a canonical user in octets, when the directory sets one for that user (an
     * override of {@code [mailbox] default_quota}; 0 means no quota at all); empty to use the default.
     */
    default java.util.OptionalLong quotaOf(String user) {
        return java.util.OptionalLong.empty();
    }

    /**
     * The users who own {@code address} as a sender identity: the user of that name, or the users an alias
     * of that name reaches, or the same for {@code user} of {@code user+tag}; never a catch-all or the
     * postmaster fallback (a catch-all must not let its owner send as anyone). Empty when nobody, which is
     * also the safe answer of a directory that cannot tell.
     */
    default List<String> ownersOf(Address address) {
        return List.of();
    }
}
