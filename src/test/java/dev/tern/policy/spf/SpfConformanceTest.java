package dev.tern.policy.spf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.dns.ResolverSettings;
import dev.tern.dns.DnsjavaResolver;
import dev.tern.testdns.TestDnsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The RFC 7208 test suite (openspf.org, as kept by pyspf): one dynamic test per case, each scenario's zonedata
 * served by a real DNS server on loopback, every case run through {@link SpfChecker#checkMailFrom}.
 */
class SpfConformanceTest {

    private static final String SUITE = "rfc7208-tests.yml";
    private static final AtomicInteger PASSED = new AtomicInteger();
    private static final List<String> FAILED = new ArrayList<>();
    private static final List<String> NOT_PREFERRED = new ArrayList<>();

    @TestFactory
    Stream<DynamicNode> rfc7208() throws IOException {
        JsonNode scenarios;
        try (InputStream in = getClass().getResourceAsStream("/spf/rfc7208-tests.json")) {
            scenarios = new ObjectMapper().readTree(in);
        }
        List<DynamicNode> nodes = new ArrayList<>();
        for (JsonNode scenario : scenarios) {
            nodes.add(DynamicContainer.dynamicContainer(scenario.get("description").asText(), tests(scenario)));
        }
        return nodes.stream();
    }

    private static Stream<DynamicNode> tests(JsonNode scenario) {
        Scenario running = new Scenario(scenario.get("zonedata"));
        List<DynamicNode> tests = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = scenario.get("tests").properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> test = it.next();
            boolean last = !it.hasNext();
            tests.add(DynamicTest.dynamicTest(SUITE + ":" + test.getKey(),
                    () -> running.run(test.getKey(), test.getValue(), last)));
        }
        return tests.stream();
    }

    /** One scenario's DNS server, started for its first test and closed after its last one. */
    private static final class Scenario {
        private final JsonNode zonedata;
        private TestDnsServer server;
        private SpfChecker checker;

        Scenario(JsonNode zonedata) {
            this.zonedata = zonedata;
        }

        void run(String id, JsonNode test, boolean last) throws Exception {
            if (server == null) {
                server = TestDnsServer.start();
                ConformanceZone.load(server, zonedata);
                // Short waits: the TIMEOUT names never answer, and the suite must stay fast.
                DnsjavaResolver dns = new DnsjavaResolver(ResolverSettings.of(server.address(), Duration.ofMillis(200), 0));
                dns.a("warm-up.invalid"); // loads the resolver's classes before any answer is timed
                checker = new SpfChecker(dns, "unknown", "DEFAULT", Clock.systemUTC());
            }
            try {
                check(id, test);
            } finally {
                if (last) {
                    server.close();
                }
            }
        }

        private void check(String id, JsonNode test) throws Exception {
            InetAddress ip = InetAddress.getByName(test.get("host").asText());
            SpfResult result = checker.checkMailFrom(ip, test.get("mailfrom").asText(), test.get("helo").asText());
            List<String> wanted = new ArrayList<>();
            JsonNode expected = test.get("result");
            if (expected.isArray()) {
                expected.forEach(r -> wanted.add(r.asText()));
            } else {
                wanted.add(expected.asText());
            }
            String got = result.outcome().keyword();
            String spec = test.get("spec").toString();
            boolean ok = wanted.contains(got);
            if (ok && test.has("explanation") && result.outcome() == SpfOutcome.FAIL) {
                ok = test.get("explanation").asText().equals(result.explanation());
            }
            synchronized (FAILED) {
                if (!ok) {
                    FAILED.add(id + " (spec " + spec + "): got " + got + " '" + result.explanation() + "' ["
                            + result.detail() + "], want " + wanted + " " + test.path("explanation").asText(""));
                } else {
                    PASSED.incrementAndGet();
                    if (!got.equals(wanted.get(0))) {
                        NOT_PREFERRED.add(id + ": " + got + " (acceptable; " + wanted.get(0) + " preferred)");
                    }
                }
            }
            assertThat(got).as("%s spec %s: %s", id, spec, result.detail()).isIn(wanted);
            if (test.has("explanation") && result.outcome() == SpfOutcome.FAIL) {
                assertThat(result.explanation()).as("explanation of %s", id)
                        .isEqualTo(test.get("explanation").asText());
            }
        }
    }

    @AfterAll
    static void summary() {
        System.out.println(SUITE + ": " + PASSED.get() + " passed, " + FAILED.size() + " failed");
        FAILED.forEach(f -> System.out.println("FAIL " + f));
        NOT_PREFERRED.forEach(n -> System.out.println("PASS " + n));
    }
}
