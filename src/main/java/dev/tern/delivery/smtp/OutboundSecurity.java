package dev.tern.delivery.smtp;

import dev.tern.dane.Dane;
import dev.tern.sts.StsPolicies;
import dev.tern.tlsrpt.TlsResults;

/**
 * What the courier asks and tells about the recipient domains' transport security: their MTA-STS policies
 * (RFC 8461), their MX hosts' TLSA records (RFC 7672), and where each TLS session's result goes for the
 * domains' TLS reports (RFC 8460).
 */
public record OutboundSecurity(StsPolicies sts, Dane dane, TlsResults reports) {

    /** Neither MTA-STS nor DANE; nothing reported. */
    public static final OutboundSecurity NONE = new OutboundSecurity(StsPolicies.NONE, Dane.NONE, TlsResults.NONE);
}
