package dev.tern.tlsrpt;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one organization reported about one policy domain, over all its reports read: the date range covered,
 * the sessions that succeeded and failed, and per {@code result-type} the failed sessions and the MX hosts
 * (and receiving IPs) concerned.
 */
public final class ReportSummary {

    /** Who reported about which domain. */
    public record Key(String organization, String policyDomain) implements Comparable<Key> {
        private static final Comparator<Key> ORDER = Comparator.comparing(Key::policyDomain)
                .thenComparing(Key::organization);

        @Override
        public int compareTo(Key other) {
            return ORDER.compare(this, other);
        }
    }

    /** One failure type: its failed sessions and where. */
    public static final class Failure {
        private long sessions;
        private final Set<String> mxHosts = new LinkedHashSet<>();

        public long sessions() {
            return sessions;
        }

        /** The receiving MX host names (or IPs, when a row has no name), in the order first seen. */
        public List<String> mxHosts() {
            return List.copyOf(mxHosts);
        }
    }

    private final Key key;
    private Instant start;
    private Instant end;
    private int reports;
    private final Set<String> reportIds = new LinkedHashSet<>();
    private final Set<String> policyTypes = new LinkedHashSet<>();
    private long successes;
    private long failures;
    private final Map<String, Failure> failureTypes = new TreeMap<>();

    ReportSummary(Key key) {
        this.key = key;
    }

    void add(TlsReport report, TlsReport.PolicyResult result) {
        if (reportIds.add(report.reportId())) {
            reports++;
        }
        start = start == null || report.start().isBefore(start) ? report.start() : start;
        end = end == null || report.end().isAfter(end) ? report.end() : end;
        policyTypes.add(result.policy().type());
        successes += result.successes();
        failures += result.failures();
        for (TlsReport.FailureDetail d : result.details()) {
            Failure f = failureTypes.computeIfAbsent(d.resultType(), t -> new Failure());
            f.sessions += d.count();
            String where = d.receivingMx() != null ? d.receivingMx() : d.receivingIp();
            if (where != null) {
                f.mxHosts.add(where);
            }
        }
    }

    public Key key() {
        return key;
    }

    public Instant start() {
        return start;
    }

    public Instant end() {
        return end;
    }

    /** Distinct reports (by {@code report-id}) that spoke of this domain. */
    public int reports() {
        return reports;
    }

    /** The policy types reported ({@code sts}, {@code tlsa}, {@code no-policy-found}), in the order first seen. */
    public List<String> policyTypes() {
        return List.copyOf(policyTypes);
    }

    public long successes() {
        return successes;
    }

    public long failures() {
        return failures;
    }

    /** Per {@code result-type}, sorted by name. */
    public SortedMap<String, Failure> failureTypes() {
        return new TreeMap<>(failureTypes);
    }
}
