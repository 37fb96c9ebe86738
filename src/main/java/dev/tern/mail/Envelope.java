package dev.tern.mail;

import java.time.Instant;
import java.util.List;

/**
 * Everything an SMTP transaction said about a message besides its content: who sent it, to whom, over what,
 * with which ESMTP parameters. It travels with the message through the queue.
 *
 * @param sender     reverse-path; {@link Address#NULL} for {@code <>}
 * @param recipients forward-paths in RCPT order
 * @param body       BODY parameter (RFC 6152, RFC 3030)
 * @param smtputf8   the SMTPUTF8 parameter was given (RFC 6531)
 * @param ret        DSN RET (RFC 3461 §4.3), or null
 * @param envid      DSN ENVID as given (xtext), or null
 * @param helo       the EHLO/HELO name of the client
 * @param client     the client's IP address as text
 * @param authUser   the authenticated user, or null
 * @param trusted    the client was in a trusted network ({@code [relay] trusted_networks}): one of ours, though
 *                   not authenticated
 * @param received   when the message was accepted
 * @param requireTls the REQUIRETLS parameter was given (RFC 8689 §4.1): the message may travel only over TLS
 *                   with a certificate verified by MTA-STS or DANE, to servers that offer REQUIRETLS themselves
 * @param tlsOptional the message came with {@code TLS-Required: No} (RFC 8689 §3, §4.1) and without REQUIRETLS:
 *                   the recipient domains' TLS policies (MTA-STS, DANE) must not stop its delivery (§4.2.2), though
 *                   STARTTLS is still tried. Never true together with {@code requireTls}: REQUIRETLS on MAIL FROM
 *                   makes the header field ignored (§4.1), and the constructor clears this flag then.
 */
public record Envelope(
        Address sender,
        List<Recipient> recipients,
        BodyType body,
        boolean smtputf8,
        Ret ret,
        String envid,
        String helo,
        String client,
        String authUser,
        boolean trusted,
        Instant received,
        boolean requireTls,
        boolean tlsOptional) {

    public Envelope {
        recipients = List.copyOf(recipients);
        tlsOptional = tlsOptional && !requireTls; // RFC 8689 §4.1: REQUIRETLS wins over TLS-Required: No
    }

    /** An envelope without {@code TLS-Required: No}. */
    public Envelope(Address sender, List<Recipient> recipients, BodyType body, boolean smtputf8, Ret ret, String envid,
                    String helo, String client, String authUser, boolean trusted, Instant received,
                    boolean requireTls) {
        this(sender, recipients, body, smtputf8, ret, envid, helo, client, authUser, trusted, received, requireTls,
                false);
    }

    /** An envelope without REQUIRETLS. */
    public Envelope(Address sender, List<Recipient> recipients, BodyType body, boolean smtputf8, Ret ret, String envid,
                    String helo, String client, String authUser, boolean trusted, Instant received) {
        this(sender, recipients, body, smtputf8, ret, envid, helo, client, authUser, trusted, received, false);
    }

    /** The same envelope with the REQUIRETLS flag set or cleared (setting it clears {@link #tlsOptional}). */
    public Envelope withRequireTls(boolean required) {
        return new Envelope(sender, recipients, body, smtputf8, ret, envid, helo, client, authUser, trusted, received,
                required, tlsOptional);
    }

    /**
     * The same envelope marked, or no longer marked, as {@code TLS-Required: No} (RFC 8689 §4.1); with REQUIRETLS
     * set the mark does not stick.
     */
    public Envelope withTlsOptional(boolean optional) {
        return new Envelope(sender, recipients, body, smtputf8, ret, envid, helo, client, authUser, trusted, received,
                requireTls, optional);
    }

    /** An envelope from a client outside the trusted networks, or from no client at all (a notice). */
    public Envelope(Address sender, List<Recipient> recipients, BodyType body, boolean smtputf8, Ret ret, String envid,
                    String helo, String client, String authUser, Instant received) {
        this(sender, recipients, body, smtputf8, ret, envid, helo, client, authUser, false, received);
    }

    /** Whether the sender is one of ours: authenticated, or a client of a trusted network. */
    public boolean fromOurUser() {
        return authUser != null || trusted;
    }

    /** BODY values, with their keywords on the wire. */
    public enum BodyType {
        SEVEN_BIT("7BIT"), EIGHT_BIT_MIME("8BITMIME"), BINARY_MIME("BINARYMIME");

        private final String keyword;

        BodyType(String keyword) {
            this.keyword = keyword;
        }

        /** The BODY parameter value (RFC 6152, RFC 3030). */
        public String keyword() {
            return keyword;
        }
    }

    /** DSN RET values: return the full message or only its headers. */
    public enum Ret { FULL, HDRS }
}
