package dev.tern.policy.dmarc;

import dev.tern.mail.header.HeaderBlock;
import dev.tern.mail.header.HeaderField;
import dev.tern.policy.spf.SpfResult;
import java.util.List;

/**
 * The end-of-DATA step of a received message in one call: DMARC evaluation, the decision, our
 * Authentication-Results field, and the fields claiming our authserv-id that came with the message.
 *
 * <p>Thread-safe; one instance serves every session.
 */
public final class MessageAuthentication {

    /**
     * @param dmarc    the DMARC evaluation
     * @param decision what to do: accept, tag, junk or reject (with the reply)
     * @param header   our Authentication-Results field, ending in CRLF, to put at the top of the message
     * @param forged   fields of the message that claim our authserv-id (RFC 8601 §5); remove them before delivery
     */
    public record Outcome(DmarcResult dmarc, AuthenticationPolicy.Decision decision, String header,
                          List<HeaderField> forged) {
    }

    private final DmarcChecker checker;
    private final AuthenticationPolicy policy;
    private final String authservId;

    public MessageAuthentication(DmarcChecker checker, AuthenticationPolicy policy, String authservId) {
        this.checker = checker;
        this.policy = policy;
        this.authservId = authservId;
    }

    /**
     * @param headerBlock the message as received, at least up to the empty line ending its header (more is ignored)
     * @param spf         the MAIL FROM check, or null when not checked
     * @param mailFrom    the reverse-path without angle brackets, "" for the null reverse-path
     * @param helo        the EHLO/HELO name
     * @param dkim        one result per DKIM-Signature field
     */
    public Outcome check(byte[] headerBlock, SpfResult spf, String mailFrom, String helo,
                         List<DkimSignatureResult> dkim) {
        return check(HeaderBlock.parse(headerBlock, HeaderBlock.LineEnds.LF).namedFields(), spf, mailFrom, helo,
                dkim);
    }

    /**
     * The same with the header already parsed ({@link HeaderBlock#namedFields}, lines ending in LF), so a caller
     * parses it once.
     */
    public Outcome check(List<HeaderField> fields, SpfResult spf, String mailFrom, String helo,
                         List<DkimSignatureResult> dkim) {
        DmarcResult dmarc = checker.check(AuthorDomain.of(fields), spf, dkim);
        AuthenticationPolicy.Decision decision = policy.decide(spf, dkim, dmarc);
        String header = AuthenticationResults.header(authservId, spf, mailFrom, helo, dkim, dmarc);
        return new Outcome(dmarc, decision, header, AuthenticationResults.claimingUs(fields, authservId));
    }
}
