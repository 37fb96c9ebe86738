package dev.tern.tlsrpt;

import java.util.List;

/**
 * How one attempt to open a TLS session toward a recipient domain went (RFC 8460 §4.4).
 *
 * @param policyDomain    the recipient domain the policy belongs to
 * @param policyType      which policy applied
 * @param policyStrings   the policy as published: the TLSA records or the MTA-STS policy's lines; empty for none
 * @param mxHost          the MX host name the policy was applied to (or the domain's pattern for MTA-STS), or null
 * @param resultType      null for a successful session, else one of RFC 8460 §4.3's result types, e.g.
 *                        {@code starttls-not-supported}, {@code certificate-host-mismatch},
 *                        {@code certificate-expired}, {@code certificate-not-trusted}, {@code validation-failure},
 *                        {@code tlsa-invalid}, {@code dnssec-invalid}, {@code dane-required},
 *                        {@code sts-policy-fetch-error}, {@code sts-policy-invalid}, {@code sts-webpki-invalid}
 * @param sendingIp       the local address the session came from, or null
 * @param receivingMx     the host name of the server tried, or null
 * @param receivingIp     the address of the server tried, or null
 * @param detail          a short free-text explanation ({@code additional-information}), or null
 */
public record TlsOutcome(String policyDomain, PolicyType policyType, List<String> policyStrings, String mxHost,
                         String resultType, String sendingIp, String receivingMx, String receivingIp, String detail) {

    public TlsOutcome {
        policyStrings = List.copyOf(policyStrings);
    }

    /** Whether the session was established as the policy asks. */
    public boolean success() {
        return resultType == null;
    }

    /** The {@code policy-type} values of RFC 8460 §4.4. */
    public enum PolicyType {
        TLSA("tlsa"), STS("sts"), NO_POLICY("no-policy-found");

        private final String word;

        PolicyType(String word) {
            this.word = word;
        }

        /** The value in a report. */
        public String word() {
            return word;
        }
    }
}
