package dev.tern.config;

import java.time.Duration;

/**
 * SMTP TLS Reporting ({@code [tls_reports]}, RFC 8460): the daily aggregate reports Tern sends to the domains
 * that ask for them in their {@code _smtp._tls} TXT record. docs/config-tls-reports.md lists the keys.
 *
 * @param enabled               on by default: a domain asks for the reports in DNS, and they hold only session
 *                              counts, host names and IP addresses the domain's own servers saw anyway
 * @param organization          {@code organization-name} of the reports; null for the hostname
 * @param contact               {@code contact-info} of the reports; null for {@code postmaster@<hostname>}
 * @param from                  the sender of report mail; null for {@code postmaster@<first local domain>}
 * @param maxSendDelay          reports of a day go out after its end plus a random delay up to this long
 *                              (RFC 8460 §4.1: spread the load on the receivers)
 * @param maxPolicyDomains      the most policy domains counted per day; sessions past it are only logged
 * @param maxPoliciesPerDomain  the most policies (type, strings, MX host) counted per domain and day
 * @param maxFailureDetails     the most failure-detail rows per policy; past it, failures are in the totals only
 * @param snapshotInterval      how often the counts are written to disk: a crash loses at most this much
 * @param httpsTimeout          the bound on one HTTPS submission (RFC 8460 §5.4), connection included
 * @param httpsRetries          how many times a failed HTTPS submission is tried again (RFC 8460 §5.5)
 * @param httpsRetryDelay       the wait before the first retry; each further one waits twice as long
 */
public record TlsReportSettings(boolean enabled, String organization, String contact, String from,
                                Duration maxSendDelay, int maxPolicyDomains, int maxPoliciesPerDomain,
                                int maxFailureDetails, Duration snapshotInterval, Duration httpsTimeout,
                                int httpsRetries, Duration httpsRetryDelay) {

    public TlsReportSettings {
        if (maxSendDelay.isNegative() || maxPolicyDomains < 1 || maxPoliciesPerDomain < 1 || maxFailureDetails < 1
                || snapshotInterval.isNegative() || snapshotInterval.isZero() || httpsTimeout.isNegative()
                || httpsTimeout.isZero() || httpsRetries < 0 || httpsRetryDelay.isNegative()) {
            throw new IllegalArgumentException("invalid tls_reports settings");
        }
    }

    /** On; one hour of random delay, 10,000 domains a day, 5 minutes between snapshots, 3 HTTPS retries. */
    public static TlsReportSettings defaults() {
        return new TlsReportSettings(true, null, null, null, Duration.ofHours(1), 10_000, 20, 100,
                Duration.ofMinutes(5), Duration.ofSeconds(30), 3, Duration.ofMinutes(10));
    }

    /** The {@code organization-name}: the configured one, else {@code hostname}. */
    public String organizationFor(String hostname) {
        return organization != null ? organization : hostname;
    }

    /** The {@code contact-info}: the configured one, else {@code postmaster@<hostname>}. */
    public String contactFor(String hostname) {
        return contact != null ? contact : "postmaster@" + hostname;
    }

    /** The sender of report mail: the configured one, else {@code postmaster@<firstDomain>}. */
    public String fromFor(String firstDomain) {
        return from != null ? from : "postmaster@" + firstDomain;
    }

    /** The same settings with other limits and timings (tests). */
    public TlsReportSettings withTimings(Duration maxSendDelay, Duration snapshotInterval, Duration httpsRetryDelay) {
        return new TlsReportSettings(enabled, organization, contact, from, maxSendDelay, maxPolicyDomains,
                maxPoliciesPerDomain, maxFailureDetails, snapshotInterval, httpsTimeout, httpsRetries,
                httpsRetryDelay);
    }

    /** The same settings with other bounds (tests). */
    public TlsReportSettings withLimits(int maxPolicyDomains, int maxPoliciesPerDomain, int maxFailureDetails) {
        return new TlsReportSettings(enabled, organization, contact, from, maxSendDelay, maxPolicyDomains,
                maxPoliciesPerDomain, maxFailureDetails, snapshotInterval, httpsTimeout, httpsRetries,
                httpsRetryDelay);
    }
}
