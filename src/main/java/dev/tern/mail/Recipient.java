package dev.tern.mail;

import java.util.Set;

/**
 * One envelope recipient with its RFC 3461 DSN parameters.
 *
 * @param address the forward-path mailbox as given in RCPT TO
 * @param notifyOn NOTIFY values (empty when not given: the default of RFC 3461 §4.1 applies)
 * @param orcpt   ORCPT as given ({@code addr-type;xtext}), or null
 */
public record Recipient(Address address, Set<Notify> notifyOn, String orcpt) {

    public Recipient {
        notifyOn = Set.copyOf(notifyOn);
    }

    public static Recipient of(Address address) {
        return new Recipient(address, Set.of(), null);
    }

    /** RFC 3461 §4.1 NOTIFY keywords. */
    public enum Notify { NEVER, SUCCESS, FAILURE, DELAY }
}
