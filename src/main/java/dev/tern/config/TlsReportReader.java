package dev.tern.config;

import dev.tern.mail.Address;
import dev.tern.mail.AddressException;
import java.time.Duration;
import java.util.Optional;

/** Reads {@code [tls_reports]} into {@link TlsReportSettings}. docs/config-tls-reports.md lists the keys. */
final class TlsReportReader {

    /** A free-text field of every report: long enough for a name or a URL, short enough for a Subject line. */
    private static final int MAX_TEXT = 200;

    private TlsReportReader() {
    }

    static TlsReportSettings read(Section top, TlsReportSettings d) throws ConfigException {
        Optional<Section> table = top.table("tls_reports");
        if (table.isEmpty()) {
            return d;
        }
        Section s = table.get();
        boolean enabled = s.bool("enabled", d.enabled());
        String organization = text(s, "organization", d.organization());
        String contact = text(s, "contact", d.contact());
        String from = s.string("from", d.from());
        if (from != null) {
            try {
                Address.parseMailbox(from, false); // ASCII: report mail is sent without SMTPUTF8
            } catch (AddressException e) {
                throw s.error("from", "must be an ASCII address such as \"tls-reports@example.org\", got \"" + from + "\"");
            }
        }
        TlsReportSettings settings = new TlsReportSettings(enabled, organization, contact, from,
                s.duration("max_send_delay", d.maxSendDelay(), Duration.ZERO, Duration.ofHours(12)),
                s.integer("max_policy_domains", d.maxPolicyDomains(), 1, 1_000_000),
                s.integer("max_policies_per_domain", d.maxPoliciesPerDomain(), 1, 1000),
                s.integer("max_failure_details", d.maxFailureDetails(), 1, 10_000),
                s.duration("snapshot_interval", d.snapshotInterval(), Duration.ofSeconds(1), Duration.ofHours(1)),
                s.duration("https_timeout", d.httpsTimeout(), Duration.ofSeconds(1), Duration.ofMinutes(5)),
                s.integer("https_retries", d.httpsRetries(), 0, 10),
                s.duration("https_retry_delay", d.httpsRetryDelay(), Duration.ofSeconds(1), Duration.ofHours(6)));
        s.refuseUnknown();
        return settings;
    }

    /** Printable ASCII or UTF-8 text without control characters: it goes into JSON and a Subject line. */
    private static String text(Section s, String key, String fallback) throws ConfigException {
        String value = s.string(key, fallback);
        if (value == null) {
            return null;
        }
        if (value.isBlank() || value.length() > MAX_TEXT || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw s.error(key, "must be 1 to " + MAX_TEXT + " characters without control characters, got \""
                    + value.replaceAll("\\p{Cntrl}", "?") + "\"");
        }
        return value;
    }
}
