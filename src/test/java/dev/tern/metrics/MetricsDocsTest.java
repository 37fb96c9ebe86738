package dev.tern.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.config.MetricsSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/metrics.md, docs/grafana-dashboard.json and docs/alerts.yml against what a real scrape exports: every
 * metric Tern exports is documented, every documented one exported, and every expression of the dashboard
 * and the alert rules names only exported metrics.
 */
class MetricsDocsTest {

    /** A metric name in PromQL, by the prefixes of what we export; {@code up} is Prometheus's own. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:tern|jvm|process|system)_[a-z0-9_]+|up)\\b(?![\"(])");
    private static Exposition scraped;

    @BeforeAll
    static void scrape() throws Exception {
        MetricsService service = new MetricsService(MetricsSettings.defaults().withListen("127.0.0.1", 0),
                List.of("mx"));
        try {
            service.meter(new FakeResolver());
            service.start(() -> Map.of("mx", true), Path.of("."), () -> new dev.tern.queue.QueueCounts(0, 0, 0, null));
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + service.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            scraped = Exposition.parse(response.body());
        } finally {
            service.close();
        }
    }

    @AfterAll
    static void forget() {
        scraped = null;
    }

    private static boolean exported(String name) {
        return name.equals("up") || scraped.names().contains(name) || scraped.families().contains(name);
    }

    private static List<String> unknownMetrics(String expr) {
        List<String> unknown = new ArrayList<>();
        Matcher m = METRIC.matcher(expr);
        boolean any = false;
        while (m.find()) {
            any = true;
            if (!exported(m.group(1))) {
                unknown.add(m.group(1));
            }
        }
        if (!any) {
            unknown.add("(no metric in: " + expr + ")");
        }
        return unknown;
    }

    @Test
    void everyTernMetricIsDocumentedAndEveryDocumentedOneExported() throws Exception {
        String doc = Files.readString(Path.of("docs", "metrics.md"));
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `(tern_[a-z0-9_]+)` \\|").matcher(doc);
        while (row.find()) {
            documented.add(row.group(1));
        }
        Set<String> tern = new TreeSet<>();
        for (String family : scraped.families()) {
            if (family.startsWith("tern_") && !family.endsWith("_max")) { // _max: the histogram's own gauge
                tern.add(family);
            }
        }
        assertThat(documented).isEqualTo(tern);
        Matcher named = METRIC.matcher(doc.substring(doc.indexOf("## JVM and process")));
        while (named.find()) {
            String name = named.group(1);
            // jvm_buffer_*: a prefix; GC pauses are registered at the first collection, which a test JVM may not have had
            assertThat(exported(name) || name.endsWith("_") || name.equals("jvm_gc_pause_seconds")).as(name).isTrue();
        }
    }

    @Test
    void theDashboardIsValidJsonAndItsExpressionsNameExportedMetrics() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("docs", "grafana-dashboard.json").toFile());
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                exprs.add(target.get("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            exprs.add(variable.get("query").asText());
        }
        assertThat(exprs).hasSizeGreaterThan(15);
        for (String expr : exprs) {
            assertThat(unknownMetrics(expr)).as(expr).isEmpty();
        }
    }

    @Test
    void theAlertRulesNameExportedMetricsAndCoverWhatOperatorsAskFor() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("docs", "alerts.yml"));
        List<String> alerts = new ArrayList<>();
        int exprs = 0;
        for (String line : lines) {
            String t = line.strip();
            if (t.startsWith("- alert: ")) {
                alerts.add(t.substring("- alert: ".length()));
            } else if (t.startsWith("expr: ")) {
                exprs++;
                assertThat(unknownMetrics(t.substring("expr: ".length()))).as(t).isEmpty();
            }
        }
        assertThat(exprs).isEqualTo(alerts.size());
        assertThat(alerts).contains("TernQueueGrowing", "TernDeferralsRising", "TernOldestMessageTooOld",
                "TernListenerDown");
    }
}
