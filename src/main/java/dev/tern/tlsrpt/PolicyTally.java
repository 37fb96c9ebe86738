package dev.tern.tlsrpt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The counts of one policy on one day: sessions that succeeded, sessions that failed, and failure-detail rows
 * keyed by (result type, sending IP, receiving MX, receiving IP), each with its count and the first
 * {@code additional-information} seen. At most {@code maxDetails} rows: a failure past them is counted in the
 * total only. Not thread-safe: {@link DailyTallies} holds its lock around every use.
 */
final class PolicyTally {

    /** What makes two failures one row (RFC 8460 §4.4 {@code failure-details}). */
    record DetailKey(String resultType, String sendingIp, String receivingMx, String receivingIp) {
    }

    private long successes;
    private long failures;
    private final Map<DetailKey, long[]> counts = new LinkedHashMap<>();
    private final Map<DetailKey, String> information = new LinkedHashMap<>();

    void success(long n) {
        successes += n;
    }

    /** One failed session (or {@code n}, when a snapshot is read back). */
    void failure(DetailKey key, String info, long n, int maxDetails) {
        failures += n;
        long[] count = counts.get(key);
        if (count == null) {
            if (counts.size() >= maxDetails) {
                return;
            }
            count = new long[1];
            counts.put(key, count);
            if (info != null) {
                information.put(key, info);
            }
        }
        count[0] += n;
    }

    /** Adds failures that have no row (a snapshot's totals above its rows). */
    void failuresWithoutDetail(long n) {
        failures += n;
    }

    long detailedFailures() {
        long n = 0;
        for (long[] c : counts.values()) {
            n += c[0];
        }
        return n;
    }

    TlsReport.PolicyResult result(TlsReport.Policy policy) {
        List<TlsReport.FailureDetail> details = new ArrayList<>();
        counts.forEach((k, c) -> details.add(new TlsReport.FailureDetail(k.resultType(), k.sendingIp(),
                k.receivingMx(), k.receivingIp(), c[0], information.get(k))));
        return new TlsReport.PolicyResult(policy, successes, failures, details);
    }
}
