package dev.tern.tlsrpt;

import dev.tern.config.TlsReportSettings;
import dev.tern.mail.Domain;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The day's counts in memory: per UTC day, per policy domain, per policy ({@code policy-type},
 * {@code policy-string}, {@code mx-host}) a {@link PolicyTally}. Bounded by {@code [tls_reports]}: at most
 * {@code max_policy_domains} domains a day and {@code max_policies_per_domain} policies a domain (sessions past
 * them are counted as dropped, for the log), and {@code max_failure_details} rows per policy (failures past them
 * are in the totals only). A policy string is cut to {@link #MAX_POLICY_STRINGS} lines of
 * {@link #MAX_TEXT} characters, additional information to {@link #MAX_TEXT}, so a hostile policy costs no more
 * memory than a plain one. One lock, held only for a few map operations.
 */
final class DailyTallies {

    /** The most lines of one policy kept (TLSA records or MTA-STS lines). */
    static final int MAX_POLICY_STRINGS = 64;
    /** The most characters of any text kept: a policy line, a host name, additional information. */
    static final int MAX_TEXT = 512;
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");

    /** One policy of one domain: what the report's {@code policy} object holds. */
    private record PolicyKey(String type, List<String> strings, String mxHost) {
    }

    private static final class DomainTally {
        final Map<PolicyKey, PolicyTally> policies = new LinkedHashMap<>();
    }

    private static final class DayTally {
        final Map<String, DomainTally> domains = new LinkedHashMap<>();
        long dropped;
    }

    private final TlsReportSettings limits;
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<LocalDate, DayTally> days = new TreeMap<>();

    DailyTallies(TlsReportSettings limits) {
        this.limits = limits;
    }

    /** Counts one session on {@code day}; {@code false} when a bound left it out. */
    boolean record(LocalDate day, TlsOutcome outcome) {
        String domain = domainKey(outcome.policyDomain());
        if (domain == null) {
            return false;
        }
        PolicyKey key = new PolicyKey(outcome.policyType().word(), cut(outcome.policyStrings()),
                cut(outcome.mxHost()));
        lock.lock();
        try {
            PolicyTally tally = tally(day, domain, key);
            if (tally == null) {
                return false;
            }
            if (outcome.success()) {
                tally.success(1);
            } else {
                tally.failure(new PolicyTally.DetailKey(cut(outcome.resultType()), cut(outcome.sendingIp()),
                        cut(outcome.receivingMx()), cut(outcome.receivingIp())), cut(outcome.detail()), 1,
                        limits.maxFailureDetails());
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Adds a policy result read back from a snapshot. */
    void restore(LocalDate day, String domain, TlsReport.PolicyResult result) {
        TlsReport.Policy p = result.policy();
        PolicyKey key = new PolicyKey(p.type(), cut(p.strings()), p.mxHosts().isEmpty() ? null : p.mxHosts().get(0));
        lock.lock();
        try {
            PolicyTally tally = tally(day, domainKey(domain), key);
            if (tally == null) {
                return;
            }
            tally.success(result.successes());
            long detailed = 0;
            for (TlsReport.FailureDetail d : result.details()) {
                tally.failure(new PolicyTally.DetailKey(d.resultType(), d.sendingIp(), d.receivingMx(),
                        d.receivingIp()), d.information(), d.count(), limits.maxFailureDetails());
                detailed += d.count();
            }
            tally.failuresWithoutDetail(Math.max(0, result.failures() - detailed));
        } finally {
            lock.unlock();
        }
    }

    /** The tally to count into, made when missing and within the bounds; null past them. */
    private PolicyTally tally(LocalDate day, String domain, PolicyKey key) {
        DayTally today = days.computeIfAbsent(day, d -> new DayTally());
        DomainTally d = today.domains.get(domain);
        if (d == null) {
            if (today.domains.size() >= limits.maxPolicyDomains()) {
                today.dropped++;
                return null;
            }
            d = new DomainTally();
            today.domains.put(domain, d);
        }
        PolicyTally tally = d.policies.get(key);
        if (tally == null) {
            if (d.policies.size() >= limits.maxPoliciesPerDomain()) {
                today.dropped++;
                return null;
            }
            tally = new PolicyTally();
            d.policies.put(key, tally);
        }
        return tally;
    }

    /** The days counted, oldest first. */
    List<LocalDate> days() {
        lock.lock();
        try {
            return List.copyOf(days.keySet());
        } finally {
            lock.unlock();
        }
    }

    /** A copy of one day: per policy domain, its results. Empty for a day not counted. */
    Map<String, List<TlsReport.PolicyResult>> day(LocalDate day) {
        lock.lock();
        try {
            Map<String, List<TlsReport.PolicyResult>> out = new LinkedHashMap<>();
            DayTally tally = days.get(day);
            if (tally != null) {
                tally.domains.forEach((domain, d) -> {
                    List<TlsReport.PolicyResult> results = new ArrayList<>();
                    d.policies.forEach((k, t) -> results.add(t.result(new TlsReport.Policy(k.type(), k.strings(),
                            domain, k.mxHost() == null ? List.of() : List.of(k.mxHost())))));
                    out.put(domain, results);
                });
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** How many sessions of {@code day} the bounds left out. */
    long dropped(LocalDate day) {
        lock.lock();
        try {
            DayTally tally = days.get(day);
            return tally == null ? 0 : tally.dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a day (its reports are out). */
    void remove(LocalDate day) {
        lock.lock();
        try {
            days.remove(day);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The comparable form of a policy domain: lower-case A-labels, no final dot; null when it is not a domain
     * name (it names a DNS query and goes into mail header fields, so nothing else is counted).
     */
    static String domainKey(String domain) {
        if (domain == null) {
            return null;
        }
        String key = Domain.asciiKey(domain.strip()).orElse("");
        key = key.endsWith(".") ? key.substring(0, key.length() - 1) : key;
        return HOST_NAME.matcher(key).matches() && key.length() <= 253 ? key : null;
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }

    private static List<String> cut(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines.subList(0, Math.min(lines.size(), MAX_POLICY_STRINGS))) {
            out.add(cut(line));
        }
        return List.copyOf(out);
    }
}
