package dev.tern.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.observe.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each event moves exactly its series, words outside the known ones count as {@code other}. */
class MeterMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MeterMetrics metrics = new MeterMetrics(registry, List.of("mx", "submission"), 2);

    private Exposition scrape() {
        return Exposition.parse(registry.scrape());
    }

    @Test
    void everySeriesIsThereAtZeroBeforeAnyEvent() {
        Exposition e = scrape();
        assertThat(e.has("tern_smtp_replies_total{class=\"4xx\"}") || e.value("tern_smtp_replies_total{class=\"4xx\"}") == 0)
                .isTrue();
        assertThat(e.names()).contains("tern_connections_total", "tern_smtp_replies_total",
                "tern_messages_received_total", "tern_deliveries_total", "tern_delivery_delay_seconds_bucket",
                "tern_tls_handshakes_total", "tern_auth_total", "tern_mailauth_results_total",
                "tern_deferrals_destination_total");
    }

    @Test
    void repliesByClass() {
        metrics.reply(250);
        metrics.reply(221);
        metrics.reply(354);
        metrics.reply(451);
        metrics.reply(550);
        metrics.reply(99);
        Exposition e = scrape();
        assertThat(e.value("tern_smtp_replies_total{class=\"2xx\"}")).isEqualTo(2);
        assertThat(e.value("tern_smtp_replies_total{class=\"3xx\"}")).isEqualTo(1);
        assertThat(e.value("tern_smtp_replies_total{class=\"4xx\"}")).isEqualTo(1);
        assertThat(e.value("tern_smtp_replies_total{class=\"5xx\"}")).isEqualTo(1);
        assertThat(e.value("tern_smtp_replies_total{class=\"other\"}")).isEqualTo(1);
    }

    @Test
    void connectionsByListenerAndResult() {
        metrics.connection("mx", Metrics.Connection.ACCEPTED);
        metrics.connection("mx", Metrics.Connection.REFUSED);
        metrics.connection("submission", Metrics.Connection.ACCEPTED);
        metrics.connection("unknown", Metrics.Connection.ACCEPTED); // not a configured listener: not counted
        Exposition e = scrape();
        assertThat(e.value("tern_connections_total{listener=\"mx\",result=\"accepted\"}")).isEqualTo(1);
        assertThat(e.value("tern_connections_total{listener=\"mx\",result=\"refused\"}")).isEqualTo(1);
        assertThat(e.value("tern_connections_total{result=\"accepted\",listener=\"submission\"}")).isEqualTo(1);
        assertThat(e.names()).doesNotContain("unknown");
    }

    @Test
    void deliveriesFeedTheHistogramAndDeferralsTheirDestination() {
        metrics.delivery(Metrics.Delivery.DELIVERED, null, Duration.ofMillis(500));
        metrics.delivery(Metrics.Delivery.DELIVERED, null, Duration.ofHours(2));
        metrics.delivery(Metrics.Delivery.BOUNCED, null, Duration.ofDays(5));
        metrics.delivery(Metrics.Delivery.DEFERRED, "a.example", Duration.ofMinutes(1));
        metrics.delivery(Metrics.Delivery.DEFERRED, "A.EXAMPLE", Duration.ofMinutes(1));
        metrics.delivery(Metrics.Delivery.DEFERRED, "b.example", Duration.ofMinutes(1));
        metrics.delivery(Metrics.Delivery.DEFERRED, "c.example", Duration.ofMinutes(1)); // over max_destinations = 2
        metrics.delivery(Metrics.Delivery.DEFERRED, "d.example", Duration.ofMinutes(1));
        Exposition e = scrape();
        assertThat(e.value("tern_deliveries_total{result=\"delivered\"}")).isEqualTo(2);
        assertThat(e.value("tern_deliveries_total{result=\"bounced\"}")).isEqualTo(1);
        assertThat(e.value("tern_deliveries_total{result=\"deferred\"}")).isEqualTo(5);
        assertThat(e.value("tern_delivery_delay_seconds_count")).isEqualTo(2);
        assertThat(e.value("tern_delivery_delay_seconds_bucket{le=\"1.0\"}")).isEqualTo(1);
        assertThat(e.value("tern_delivery_delay_seconds_bucket{le=\"21600.0\"}")).isEqualTo(2);
        assertThat(e.value("tern_deferrals_destination_total{destination=\"a.example\"}")).isEqualTo(2);
        assertThat(e.value("tern_deferrals_destination_total{destination=\"b.example\"}")).isEqualTo(1);
        assertThat(e.value("tern_deferrals_destination_total{destination=\"other\"}")).isEqualTo(2);
        assertThat(e.has("tern_deferrals_destination_total{destination=\"c.example\"}")).isFalse();
    }

    @Test
    void tlsAuthAndMessageAuthenticationResults() {
        metrics.tls("TLSv1.3");
        metrics.tls("TLSv1.3");
        metrics.tls("SSLv3");
        metrics.auth(true);
        metrics.auth(false);
        metrics.auth(false);
        metrics.check(Metrics.Check.SPF, "softfail");
        metrics.check(Metrics.Check.DKIM, "pass");
        metrics.check(Metrics.Check.DKIM, "pass");
        metrics.check(Metrics.Check.DMARC, "bestguesspass");
        metrics.received(Metrics.Reception.ACCEPTED);
        metrics.received(Metrics.Reception.REJECTED);
        Exposition e = scrape();
        assertThat(e.value("tern_tls_handshakes_total{protocol=\"TLSv1.3\"}")).isEqualTo(2);
        assertThat(e.value("tern_tls_handshakes_total{protocol=\"other\"}")).isEqualTo(1);
        assertThat(e.value("tern_auth_total{result=\"success\"}")).isEqualTo(1);
        assertThat(e.value("tern_auth_total{result=\"failure\"}")).isEqualTo(2);
        assertThat(e.value("tern_mailauth_results_total{check=\"spf\",result=\"softfail\"}")).isEqualTo(1);
        assertThat(e.value("tern_mailauth_results_total{check=\"dkim\",result=\"pass\"}")).isEqualTo(2);
        assertThat(e.value("tern_mailauth_results_total{check=\"dmarc\",result=\"other\"}")).isEqualTo(1);
        assertThat(e.value("tern_messages_received_total{result=\"accepted\"}")).isEqualTo(1);
        assertThat(e.value("tern_messages_received_total{result=\"rejected\"}")).isEqualTo(1);
        assertThat(e.value("tern_messages_received_total{result=\"deferred\"}")).isZero();
    }

    @Test
    void theDefencesCountEachDecisionAndAnUnknownWordAsOther() {
        metrics.defence(Metrics.Defence.SCREEN, "dnsbl");
        metrics.defence(Metrics.Defence.SCREEN, "dnsbl");
        metrics.defence(Metrics.Defence.SCREEN, "pass");
        metrics.defence(Metrics.Defence.RATE_LIMIT, "user_messages_per_day");
        metrics.defence(Metrics.Defence.GREYLIST, "greylisted");
        metrics.defence(Metrics.Defence.MILTER, "default-tempfail");
        metrics.defence(Metrics.Defence.MILTER, "something-new");
        Exposition e = scrape();
        assertThat(e.value("tern_defences_total{defence=\"screen\",result=\"dnsbl\"}")).isEqualTo(2);
        assertThat(e.value("tern_defences_total{defence=\"screen\",result=\"pass\"}")).isEqualTo(1);
        assertThat(e.value("tern_defences_total{defence=\"screen\",result=\"early-talker\"}")).isZero();
        assertThat(e.value("tern_defences_total{defence=\"rate-limit\",result=\"user_messages_per_day\"}")).isEqualTo(1);
        assertThat(e.value("tern_defences_total{defence=\"greylist\",result=\"greylisted\"}")).isEqualTo(1);
        assertThat(e.value("tern_defences_total{defence=\"milter\",result=\"default-tempfail\"}")).isEqualTo(1);
        assertThat(e.value("tern_defences_total{defence=\"milter\",result=\"other\"}")).isEqualTo(1);
    }

    @Test
    void outboundTlsSessionsByPolicyAndResult() {
        metrics.outboundTls("dane", "success");
        metrics.outboundTls("dane", "success");
        metrics.outboundTls("mta-sts", "certificate-host-mismatch");
        metrics.outboundTls("may", "dnssec-invalid"); // not a session's own result: other
        metrics.outboundTls("someday", "success");
        Exposition e = scrape();
        assertThat(e.value("tern_delivery_tls_total{policy=\"dane\",result=\"success\"}")).isEqualTo(2);
        assertThat(e.value("tern_delivery_tls_total{policy=\"mta-sts\",result=\"certificate-host-mismatch\"}"))
                .isEqualTo(1);
        assertThat(e.value("tern_delivery_tls_total{policy=\"mta-sts\",result=\"success\"}")).isZero();
        assertThat(e.value("tern_delivery_tls_total{policy=\"may\",result=\"other\"}")).isEqualTo(1);
        assertThat(e.value("tern_delivery_tls_total{policy=\"other\",result=\"success\"}")).isEqualTo(1);
    }

    @Test
    void dnsLookupsByTypeAndOutcome() {
        MeteredResolver dns = new MeteredResolver(new FakeResolver(), registry);
        assertThat(dns.a("host.example").records()).hasSize(1); // the answer passes through unchanged
        dns.a("nx.example");
        dns.txt("slow.example");
        dns.txt("empty.example");
        dns.ptr("host.example");
        Exposition e = scrape();
        assertThat(e.value("tern_dns_lookups_total{type=\"A\",result=\"answer\"}")).isEqualTo(1);
        assertThat(e.value("tern_dns_lookups_total{type=\"A\",result=\"nxdomain\"}")).isEqualTo(1);
        assertThat(e.value("tern_dns_lookups_total{type=\"TXT\",result=\"temporary\"}")).isEqualTo(1);
        assertThat(e.value("tern_dns_lookups_total{type=\"TXT\",result=\"nodata\"}")).isEqualTo(1);
        assertThat(e.value("tern_dns_lookups_total{type=\"PTR\",result=\"answer\"}")).isEqualTo(1);
        assertThat(e.value("tern_dns_lookups_total{type=\"MX\",result=\"answer\"}")).isZero();
        assertThat(e.value("tern_dns_lookup_duration_seconds_count{type=\"A\"}")).isEqualTo(2);
        assertThat(e.value("tern_dns_lookup_duration_seconds_count{type=\"TXT\"}")).isEqualTo(2);
    }

    @Test
    void theScrapeIsTheTextFormatLineByLine() {
        metrics.reply(250);
        String text = registry.scrape();
        Exposition.parse(text); // throws on any line that is neither a comment nor a sample
        assertThat(text).contains("# TYPE tern_smtp_replies_total counter");
    }
}
