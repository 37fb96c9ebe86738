package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.TernConfig;
import dev.tern.metrics.Exposition;
import dev.tern.store.FileDirectory;
import dev.tern.testsmtp.PeerServer;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code [metrics]} listener of a real Tern: mail sent with Angus Mail and by hand moves the counters by
 * exactly what was sent, the scrape reads as the Prometheus text format line by line, {@code /readyz} turns 503
 * when the spool is made read-only, and {@code tern status} reports the listeners and queue.
 */
class MetricsIT {

    @TempDir
    static Path dir;
    static Path dataDir;
    static Tern tern;
    static PeerServer slow;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        slow = PeerServer.start();
        slow.rcptReply = "451 4.7.1 greylisted, come back later";
        dataDir = dir.resolve("data");
        TernConfig config = Outbound.load(dir, """
                hostname = "mx.tern.test"
                domains = ["localhost"]
                [[listener]]
                name = "mx"
                role = "mx"
                address = "127.0.0.1"
                port = 0
                [relay]
                trusted_networks = ["127.0.0.1/32"]
                [queue]
                retry_initial = "10m"
                [delivery]
                connect_timeout = "2s"
                command_timeout = "2s"
                reuse_time = "0s"
                [[delivery.route]]
                domain = "slow.test"
                host = "127.0.0.1"
                port = %d
                [metrics]
                listen = "127.0.0.1:0"
                min_free_disk = 0
                """.formatted(slow.port()), dataDir);
        new FileDirectory(dataDir, config.domains()).addUser("alice@localhost", "unused");
        tern = Tern.start(config);
    }

    @AfterAll
    static void stop() throws Exception {
        if (tern != null) {
            tern.close();
        }
        slow.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tern.metricsPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static Exposition scrape() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        return Exposition.parse(response.body()); // fails on any line that is neither comment nor sample
    }

    private static Session client(boolean startTls) {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(tern.port("mx")));
        props.put("mail.smtp.localhost", "client.tern.test");
        if (startTls) {
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", "true");
            props.put("mail.smtp.ssl.trust", "*"); // the self-signed certificate of the data directory
            props.put("mail.smtp.ssl.checkserveridentity", "false");
        }
        return Session.getInstance(props);
    }

    private static void send(String to, boolean startTls) throws Exception {
        Session session = client(startTls);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("sender@remote.test"));
        m.setRecipients(Message.RecipientType.TO, to);
        m.setSubject("metrics");
        m.setText("Counted.\n");
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect();
            transport.sendMessage(m, m.getAllRecipients());
        }
    }

    private static double delta(Exposition before, Exposition after, String series) {
        return after.value(series) - before.value(series);
    }

    @Test
    void countersMoveByWhatWasSent() throws Exception {
        Exposition before = scrape();
        send("alice@localhost", false);
        send("alice@localhost", true);
        send("bob@slow.test", false);
        try (SmtpTestClient client = new SmtpTestClient(tern.port("mx"))) {
            client.reply();
            client.command("EHLO client.tern.test");
            assertThat(client.sendMessage("sender@remote.test", "nobody@localhost", "Subject: x\r\n\r\nx"))
                    .startsWith("550 ");
            assertThat(client.sendMessage("sender@remote.test", "alice@localhost", "Subject: x\r\n\r\na NUL \u0000 here"))
                    .startsWith("554 ");
            client.command("QUIT");
        }
        assertThat(tern.queue().awaitIdle(Duration.ofSeconds(20))).isTrue();
        assertThat(Outbound.await(() -> slow.connections() > 0, Duration.ofSeconds(10))).isTrue();
        Exposition after = awaitDeferral(before);

        assertThat(delta(before, after, "tern_connections_total{listener=\"mx\",result=\"accepted\"}")).isEqualTo(4);
        assertThat(delta(before, after, "tern_connections_total{listener=\"mx\",result=\"refused\"}")).isZero();
        assertThat(delta(before, after, "tern_messages_received_total{result=\"accepted\"}")).isEqualTo(3);
        assertThat(delta(before, after, "tern_messages_received_total{result=\"rejected\"}")).isEqualTo(1);
        assertThat(delta(before, after, "tern_messages_received_total{result=\"deferred\"}")).isZero();
        // 550 to the unknown recipient, 554 to the NUL: the only 5xx replies sent
        assertThat(delta(before, after, "tern_smtp_replies_total{class=\"5xx\"}")).isEqualTo(2);
        assertThat(delta(before, after, "tern_smtp_replies_total{class=\"3xx\"}")).isEqualTo(4); // one 354 each DATA
        assertThat(delta(before, after, "tern_deliveries_total{result=\"delivered\"}")).isEqualTo(2);
        assertThat(delta(before, after, "tern_deliveries_total{result=\"deferred\"}")).isEqualTo(1);
        assertThat(delta(before, after, "tern_deliveries_total{result=\"bounced\"}")).isZero();
        assertThat(delta(before, after, "tern_deferrals_destination_total{destination=\"slow.test\"}")).isEqualTo(1);
        assertThat(delta(before, after, "tern_delivery_delay_seconds_count")).isEqualTo(2);
        assertThat(delta(before, after, "tern_delivery_delay_seconds_bucket{le=\"+Inf\"}")).isEqualTo(2);
        assertThat(delta(before, after, "tern_tls_handshakes_total{protocol=\"TLSv1.3\"}")
                + delta(before, after, "tern_tls_handshakes_total{protocol=\"TLSv1.2\"}")).isEqualTo(1);
        assertThat(after.value("tern_queue_messages{state=\"deferred\"}")).isEqualTo(1);
        assertThat(after.value("tern_queue_messages{state=\"held\"}")).isZero();
        assertThat(after.value("tern_queue_oldest_age_seconds")).isGreaterThanOrEqualTo(0);
        assertThat(after.value("tern_listener_up{listener=\"mx\"}")).isEqualTo(1);
        assertThat(after.has("jvm_memory_used_bytes")).isTrue();
        assertThat(after.has("jvm_threads_live_threads")).isTrue();
        assertThat(after.has("tern_dns_lookups_total")).isTrue();
        assertThat(after.has("tern_mailauth_results_total")).isTrue();
    }

    /** The deferral is counted after the attempt that got the 451 ends; its state is on disk by then. */
    private static Exposition awaitDeferral(Exposition before) throws Exception {
        Exposition after = scrape();
        for (int i = 0; i < 500 && delta(before, after, "tern_deliveries_total{result=\"deferred\"}") < 1; i++) {
            Thread.sleep(20);
            after = scrape();
        }
        return after;
    }

    @Test
    void openMetricsWhenTheScraperAsks() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + tern.metricsPort() + "/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/openmetrics-text");
        assertThat(response.body()).endsWith("# EOF\n");
    }

    @Test
    void healthAndReadiness() throws Exception {
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/healthz").body()).isEqualTo("ok\n");
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
        assertThat(get("/metrics/more").statusCode()).isEqualTo(404);
    }

    @Test
    void notReadyWhileTheSpoolIsReadOnly() throws Exception {
        Path spool = dataDir.resolve("spool");
        var permissions = Files.getPosixFilePermissions(spool);
        Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("r-x------"));
        try {
            HttpResponse<String> response = get("/readyz");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).isEqualTo("not ready: spool spool is not writable\n");
            assertThat(get("/healthz").statusCode()).isEqualTo(200); // alive all the same
        } finally {
            Files.setPosixFilePermissions(spool, permissions);
        }
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void curlReadsTheSameEndpoints() throws Exception {
        Process curl = new ProcessBuilder("curl", "-sS", "-o", "-", "-w", "%{http_code}",
                "http://127.0.0.1:" + tern.metricsPort() + "/healthz").redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor()).as("curl (install Debian's curl): %s", out).isZero();
        assertThat(out).isEqualTo("ok\n200");
    }

    @Test
    void ternStatusReportsListenersAndQueue() {
        Outbound.Run run = Outbound.tern("status", "--data", dataDir.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).matches("(?s)tern \\S+ running since \\S+ \\(up \\d+[smhd].*\\)\n.*")
                .contains("listeners:\n  mx               127.0.0.1:" + tern.port("mx"))
                .contains(" accepting\n")
                .containsPattern("queue: \\d+ messages? \\(\\d+ active, \\d+ deferred, 0 held\\)");
    }

    @Test
    void ternStatusSaysWhenNoServerRuns() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("no-server"));
        Outbound.Run run = Outbound.tern("status", "--data", empty.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("no server is running for " + empty);
        assertThat(run.out()).isEmpty();
    }
}
