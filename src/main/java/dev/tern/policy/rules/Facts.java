package dev.tern.policy.rules;

import dev.tern.mail.IpNetwork;
import dev.tern.mail.Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * What a session knows when it asks the rules: the facts of the current stage and those before it. A fact
 * not yet known is null; {@code authUser} is null also when the client did not authenticate.
 *
 * @param client    the client's IP address
 * @param helo      the HELO/EHLO name, or null
 * @param authUser  the authenticated user name, or null
 * @param sender    the reverse-path ({@link Address#NULL} for {@code <>}), or null before MAIL
 * @param recipient the one forward-path being checked, or null before RCPT
 */
public record Facts(InetAddress client, String helo, String authUser, Address sender, Address recipient) {

    public Facts {
        Objects.requireNonNull(client, "client");
    }

    /** The facts of a new connection. */
    public static Facts connect(InetAddress client) {
        return new Facts(client, null, null, null, null);
    }

    /**
     * The facts of a new connection from an address written as text ({@code Transport.clientAddress()}),
     * parsed without DNS; an IPv6 zone ({@code fe80::1%eth0}) is dropped, as networks in rules have none.
     *
     * @throws IllegalArgumentException when the text is no IP address
     */
    public static Facts connect(String clientAddress) {
        int zone = clientAddress.indexOf('%');
        return connect(IpNetwork.parseAddress(zone < 0 ? clientAddress : clientAddress.substring(0, zone)));
    }

    public Facts withHelo(String newHelo) {
        return new Facts(client, newHelo, authUser, sender, recipient);
    }

    /** MAIL FROM: the sender and who authenticated (null for nobody). */
    public Facts withMail(String newAuthUser, Address newSender) {
        return new Facts(client, helo, newAuthUser, Objects.requireNonNull(newSender, "sender"), recipient);
    }

    public Facts withRecipient(Address newRecipient) {
        return new Facts(client, helo, authUser, sender, Objects.requireNonNull(newRecipient, "recipient"));
    }
}
