package dev.tern.sts;

/**
 * The MTA-STS policies of recipient domains (RFC 8461 §3-§5), looked up once per delivery attempt to a domain.
 * Implementations may block for DNS and HTTPS (bounded by their own timeouts) and never throw.
 */
@FunctionalInterface
public interface StsPolicies {

    /** No MTA-STS: every domain is treated as publishing no policy. */
    StsPolicies NONE = domain -> new StsLookup.None();

    /** @param domain the recipient domain in A-label form */
    StsLookup lookup(String domain);
}
