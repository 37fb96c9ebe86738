package dev.tern.smtp.protocol;

import dev.tern.mail.Address;
import dev.tern.mail.AddressException;

/**
 * Reverse- and forward-paths (RFC 5321 §4.1.2): {@code Path = "<" [ A-d-l ":" ] Mailbox ">"}.
 * The brackets are already gone (the command parser takes them off).
 */
public final class Paths {

    private Paths() {
    }

    /**
     * Parses a path. A source route ({@code @relay1,@relay2:user@example}) is checked and dropped: RFC 5321
     * §3.6.1 and Appendix C say to deliver to the mailbox alone, which also means a route through a local
     * domain can never make us relay (invariant 3).
     *
     * @param allowNull whether {@code <>} is allowed (MAIL FROM only)
     */
    public static Address parse(String path, boolean allowNull, boolean utf8) throws AddressException {
        if (path.isEmpty()) {
            if (allowNull) {
                return Address.NULL;
            }
            throw new AddressException("empty path");
        }
        String mailbox = path;
        if (path.startsWith("@")) {
            int colon = path.indexOf(':');
            if (colon < 0) {
                throw new AddressException("invalid source route");
            }
            for (String hop : path.substring(0, colon).split(",", -1)) {
                if (!hop.startsWith("@")) {
                    throw new AddressException("invalid source route");
                }
                Address.checkDomain(hop.substring(1), utf8);
            }
            mailbox = path.substring(colon + 1);
        }
        return Address.parseMailbox(mailbox, utf8);
    }
}
