package dev.tern.delivery.smtp;

import dev.tern.dane.TlsaLookup;
import dev.tern.tlsrpt.TlsOutcome;
import java.util.List;

/**
 * What TLS a session with one server must reach, which policy asked for it, and what TLS-RPT is told about it.
 *
 * @param policy the policy's word in the mail log and the metrics: {@code dane}, {@code mta-sts},
 *               {@code mta-sts-testing}, {@code verify}, {@code encrypt}, {@code may}, {@code none}
 * @param level  what the session must reach
 * @param dane   the TLSA records to authenticate the server by, for {@link Level#DANE}; else null
 * @param report the policy as TLS-RPT names it (RFC 8460 §4.4), or null where nothing is reported
 *               (routes and the relay host, which are not a recipient domain's policy)
 */
record HostTls(String policy, Level level, TlsaLookup.Usable dane, Report report) {

    /** How far a session must go. */
    enum Level {
        /** Never STARTTLS. */
        NONE(false),
        /** STARTTLS when offered, any certificate; a failed handshake is retried in plaintext (RFC 7435). */
        MAY(false),
        /** As {@link #MAY}, but the certificate is also checked as for {@link #VERIFY}, only to report it. */
        MAY_REPORTING(false),
        /** TLS required, any certificate. */
        ENCRYPT(true),
        /** TLS required, a certificate chain to a trusted authority naming the host (RFC 6125). */
        VERIFY(true),
        /** TLS required, the certificate matching the host's TLSA records (RFC 7672 §3). */
        DANE(true);

        private final boolean required;

        Level(boolean required) {
            this.required = required;
        }

        boolean required() {
            return required;
        }

        /** Whether the server's certificate is authenticated, as REQUIRETLS asks (RFC 8689 §4.2.1). */
        boolean authenticates() {
            return this == VERIFY || this == DANE;
        }
    }

    /**
     * The policy as a TLS report lists it.
     *
     * @param domain  the recipient domain
     * @param type    the policy type
     * @param strings the policy as published (TLSA records, MTA-STS policy lines); empty for none
     * @param mxHost  the MX host the policy was applied to, or the MTA-STS {@code mx} patterns, or null
     */
    record Report(String domain, TlsOutcome.PolicyType type, List<String> strings, String mxHost) {
        Report {
            strings = List.copyOf(strings);
        }

        TlsOutcome outcome(String resultType, String sendingIp, String receivingMx, String receivingIp,
                           String detail) {
            return new TlsOutcome(domain, type, strings, mxHost, resultType, sendingIp, receivingMx, receivingIp,
                    detail);
        }
    }

    /** A configured policy toward a route or the relay host: nothing reported. */
    static HostTls configured(String policy, Level level) {
        return new HostTls(policy, level, null, null);
    }
}
