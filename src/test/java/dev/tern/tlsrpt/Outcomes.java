package dev.tern.tlsrpt;

import java.util.List;

/** TLS outcomes as the courier reports them, for the tests. */
final class Outcomes {

    static final List<String> STS_POLICY = List.of("version: STSv1", "mode: enforce", "mx: *.mail.example.org",
            "max_age: 86400");

    private Outcomes() {
    }

    static TlsOutcome success(String domain, String mx) {
        return new TlsOutcome(domain, TlsOutcome.PolicyType.STS, STS_POLICY, "*.mail." + domain, null,
                "192.0.2.1", mx, "198.51.100.7", null);
    }

    static TlsOutcome failure(String domain, String mx, String resultType, String detail) {
        return new TlsOutcome(domain, TlsOutcome.PolicyType.STS, STS_POLICY, "*.mail." + domain, resultType,
                "192.0.2.1", mx, "198.51.100.7", detail);
    }

    static TlsOutcome noPolicy(String domain, String mx, String resultType) {
        return new TlsOutcome(domain, TlsOutcome.PolicyType.NO_POLICY, List.of(), null, resultType, "192.0.2.1",
                mx, "198.51.100.8", null);
    }
}
