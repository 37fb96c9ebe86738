package dev.tern.policy.spf;

/**
 * The result of an SPF check.
 *
 * @param outcome one of the RFC 7208 §2.6 results
 * @param domain the domain whose policy was checked (after §2.3/§2.4 processing)
 * @param explanation for {@link SpfOutcome#FAIL} only: the expanded {@code exp=} text or the default explanation
 *     (RFC 7208 §6.2), suitable for the SMTP reply; empty otherwise
 * @param detail why, for the log (the matching mechanism or the error); never shown to the client
 */
public record SpfResult(SpfOutcome outcome, String domain, String explanation, String detail) {

    static SpfResult of(SpfOutcome outcome, String domain, String detail) {
        return new SpfResult(outcome, domain, "", detail);
    }
}
