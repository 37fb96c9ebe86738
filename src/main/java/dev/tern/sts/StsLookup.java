package dev.tern.sts;

/** What {@link StsPolicies#lookup} found for a recipient domain. */
public sealed interface StsLookup {

    /**
     * A policy in force: fresh, or the cached one when the domain could not be reached (RFC 8461 §5.1).
     *
     * @param policy the policy
     * @param text   the policy as fetched, for TLS-RPT's {@code policy-string} (RFC 8460 §4.4)
     */
    record Found(StsPolicy policy, String text) implements StsLookup {}

    /**
     * The domain publishes no policy (no usable {@code _mta-sts} TXT record) and none is cached, or it withdrew its
     * policy with {@code mode: none} (RFC 8461 §8.3).
     */
    record None() implements StsLookup {}

    /**
     * The domain announces a policy that could not be fetched or parsed, and none is cached: the sender goes on
     * as without one (RFC 8461 §5) and reports it.
     *
     * @param resultType the TLS-RPT result type (RFC 8460 §4.3.2.3): {@code sts-policy-fetch-error},
     *                   {@code sts-policy-invalid} or {@code sts-webpki-invalid}
     * @param detail     what went wrong, for the mail log
     */
    record Failed(String resultType, String detail) implements StsLookup {}
}
