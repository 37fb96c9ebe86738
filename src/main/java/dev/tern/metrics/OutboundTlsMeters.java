package dev.tern.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tern_delivery_tls_total{policy,result}}: each TLS session toward another server by the policy that asked
 * for it and how it went. Both label sets are closed lists (a word outside them counts as {@code other}), and every
 * counter is registered up front, so a delivery costs two map lookups.
 */
final class OutboundTlsMeters {

    /** The courier's policy words (the mail log's {@code tls-policy=}). */
    static final List<String> POLICIES = List.of("dane", "mta-sts", "mta-sts-testing", "verify", "encrypt", "may",
            "none");
    /** {@code success} and the RFC 8460 §4.3.2 result types a session itself can end in. */
    static final List<String> RESULTS = List.of("success", "starttls-not-supported", "certificate-host-mismatch",
            "certificate-expired", "certificate-not-trusted", "validation-failure");

    private final Map<String, Map<String, Counter>> byPolicy = new HashMap<>();

    OutboundTlsMeters(MeterRegistry registry) {
        for (String policy : concat(POLICIES)) {
            Map<String, Counter> byResult = new HashMap<>();
            for (String result : concat(RESULTS)) {
                byResult.put(result, Counter.builder("tern.delivery.tls")
                        .description("TLS sessions toward other servers, by the policy that asked and the result")
                        .tag("policy", policy).tag("result", result).register(registry));
            }
            byPolicy.put(policy, Map.copyOf(byResult));
        }
    }

    void count(String policy, String result) {
        Map<String, Counter> byResult = byPolicy.getOrDefault(policy, byPolicy.get(MeterMetrics.OTHER));
        byResult.getOrDefault(result, byResult.get(MeterMetrics.OTHER)).increment();
    }

    private static List<String> concat(List<String> words) {
        return java.util.stream.Stream.concat(words.stream(), java.util.stream.Stream.of(MeterMetrics.OTHER)).toList();
    }
}
