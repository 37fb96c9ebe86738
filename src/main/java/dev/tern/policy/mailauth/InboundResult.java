package dev.tern.policy.mailauth;

import dev.tern.mail.header.HeaderField;
import dev.tern.policy.dkim.DkimResult;
import dev.tern.policy.dmarc.AuthenticationPolicy;
import dev.tern.policy.dmarc.MessageAuthentication;
import dev.tern.policy.spf.SpfResult;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the checks of one received message found, and what to do with it.
 *
 * @param spf     the MAIL FROM check (RFC 7208)
 * @param dkim    one result per DKIM-Signature field, top first; empty for an unsigned message (or with
 *                verification turned off)
 * @param outcome the DMARC evaluation, the decision, our Authentication-Results field and the forged ones
 */
public record InboundResult(SpfResult spf, List<DkimResult> dkim, MessageAuthentication.Outcome outcome) {

    public InboundResult {
        dkim = List.copyOf(dkim);
    }

    public AuthenticationPolicy.Decision decision() {
        return outcome.decision();
    }

    /** Our {@code Authentication-Results:} field, ending in CRLF, to put at the top of the message. */
    public String header() {
        return outcome.header();
    }

    /**
     * The message's Authentication-Results fields that claim our authserv-id (RFC 8601 §5), with their offsets
     * in the octets given to {@link InboundChecks#finish}; the caller leaves them out.
     */
    public List<HeaderField> forged() {
        return outcome.forged();
    }

    /** For the mail log: {@code pass}, {@code softfail}... */
    public String spfKeyword() {
        return spf.outcome().keyword();
    }

    /** For the mail log: each signature's result, comma-separated, or {@code none}. */
    public String dkimKeywords() {
        return dkim.isEmpty() ? "none" : dkim.stream().map(d -> d.status().keyword()).collect(Collectors.joining(","));
    }

    public String dmarcKeyword() {
        return outcome.dmarc().outcome().keyword();
    }
}
