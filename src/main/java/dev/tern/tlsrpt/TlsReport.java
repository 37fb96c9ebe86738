package dev.tern.tlsrpt;

import java.time.Instant;
import java.util.List;

/**
 * One aggregate report (RFC 8460 §4.3), as Tern writes it for a policy domain or reads it from another sender.
 *
 * @param organization {@code organization-name}: who sends the report
 * @param start        {@code date-range.start-datetime}
 * @param end          {@code date-range.end-datetime}
 * @param contact      {@code contact-info}, or null when a received report has none
 * @param reportId     {@code report-id}
 * @param policies     {@code policies}: one result per policy applied
 */
public record TlsReport(String organization, Instant start, Instant end, String contact, String reportId,
                        List<PolicyResult> policies) {

    public TlsReport {
        policies = List.copyOf(policies);
    }

    /**
     * A policy as the sender applied it (RFC 8460 §4.4, {@code policy}).
     *
     * @param type    {@code policy-type}: {@code tlsa}, {@code sts} or {@code no-policy-found}
     * @param strings {@code policy-string}: the TLSA records or the MTA-STS policy's lines
     * @param domain  {@code policy-domain}
     * @param mxHosts {@code mx-host}: the MX hosts (or MTA-STS patterns) it was applied to; may be empty
     */
    public record Policy(String type, List<String> strings, String domain, List<String> mxHosts) {
        public Policy {
            strings = List.copyOf(strings);
            mxHosts = List.copyOf(mxHosts);
        }
    }

    /**
     * One {@code failure-details} row (RFC 8460 §4.4).
     *
     * @param resultType  {@code result-type}
     * @param sendingIp   {@code sending-mta-ip}, or null
     * @param receivingMx {@code receiving-mx-hostname}, or null
     * @param receivingIp {@code receiving-ip}, or null
     * @param count       {@code failed-session-count}
     * @param information {@code additional-information}, or null
     */
    public record FailureDetail(String resultType, String sendingIp, String receivingMx, String receivingIp,
                                long count, String information) {
    }

    /**
     * A policy with its {@code summary} and {@code failure-details}.
     *
     * @param successes {@code total-successful-session-count}
     * @param failures  {@code total-failure-session-count}: every failed session, with or without a detail row
     */
    public record PolicyResult(Policy policy, long successes, long failures, List<FailureDetail> details) {
        public PolicyResult {
            details = List.copyOf(details);
        }
    }
}
