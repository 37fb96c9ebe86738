package dev.tern.tlsrpt;

import static dev.tern.tlsrpt.Outcomes.failure;
import static dev.tern.tlsrpt.Outcomes.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.TlsReportSettings;
import dev.tern.dns.DnsjavaResolver;
import dev.tern.dns.ResolverSettings;
import dev.tern.mail.Address;
import dev.tern.testdns.TestDnsServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counts on disk, the daily run over a real loopback DNS server, report mail and HTTPS submission. */
class TlsReportingTest {

    private static final LocalDate DAY = LocalDate.of(2026, 3, 1);
    private static final Clock DURING = Clock.fixed(Instant.parse("2026-03-01T15:00:00Z"), ZoneOffset.UTC);
    private static final Clock NEXT_DAY = Clock.fixed(Instant.parse("2026-03-02T00:20:00Z"), ZoneOffset.UTC);

    /** The one hand-written fake of the seam: keeps what it is asked to queue. */
    record Queued(Address sender, List<Address> recipients, byte[] message) {
    }

    @TempDir
    Path dir;
    TestDnsServer dns;
    final List<Queued> queued = new CopyOnWriteArrayList<>();
    final ReportMailer mailer = (sender, recipients, message) -> {
        queued.add(new Queued(sender, recipients, message));
        return "Q" + queued.size();
    };

    @BeforeEach
    void dns() throws IOException {
        dns = TestDnsServer.start();
        dns.addTxt("_smtp._tls.example.org", "v=TLSRPTv1; rua=mailto:tls@example.org,mailto:copy@example.net");
        dns.addTxt("_smtp._tls.two.example", "v=TLSRPTv1; rua=mailto:a@two.example");
        dns.addTxt("_smtp._tls.two.example", "v=TLSRPTv1; rua=mailto:b@two.example");
        dns.addTxt("_smtp._tls.bad.example", "v=TLSRPTv1; rua=reports@bad.example");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private TlsReporting open(Clock clock, TlsReportSettings settings, SSLContext tls) throws Exception {
        return TlsReporting.open(settings, "mx.tern.test", Address.parseMailbox("postmaster@tern.test", false),
                dir.resolve("tlsrpt"), new DnsjavaResolver(ResolverSettings.of(dns.address(), Duration.ofMillis(500), 0)),
                mailer, tls, clock);
    }

    private TlsReporting open(Clock clock) throws Exception {
        return open(clock, TlsReportSettings.defaults(), SSLContext.getDefault());
    }

    @Test
    void theCountsSurviveARestart() throws Exception {
        try (TlsReporting reporting = open(DURING)) {
            reporting.record(success("example.org", "mx1.mail.example.org"));
            reporting.record(failure("example.org", "mx2.mail.example.org", "certificate-expired", "expired"));
        }
        assertThat(dir.resolve("tlsrpt/counts.json")).exists();
        try (TlsReporting again = open(DURING)) {
            TlsReport.PolicyResult result = again.counts(DAY).get("example.org").get(0);
            assertThat(result.successes()).isEqualTo(1);
            assertThat(result.failures()).isEqualTo(1);
            assertThat(result.details()).containsExactly(new TlsReport.FailureDetail("certificate-expired",
                    "192.0.2.1", "mx2.mail.example.org", "198.51.100.7", 1, "expired"));
            again.record(success("example.org", "mx1.mail.example.org"));
            assertThat(again.counts(DAY).get("example.org").get(0).successes()).isEqualTo(2);
        }
    }

    @Test
    void anUnreadableCountsFileIsSetAside() throws Exception {
        Files.createDirectories(dir.resolve("tlsrpt"));
        Files.writeString(dir.resolve("tlsrpt/counts.json"), "{not json");
        try (TlsReporting reporting = open(DURING)) {
            assertThat(reporting.counts(DAY)).isEmpty();
        }
        assertThat(dir.resolve("tlsrpt/counts.json.bad")).hasContent("{not json");
    }

    @Test
    void anEndedDayIsMailedToTheRuaOfItsOneValidRecordThenForgotten() throws Exception {
        try (TlsReporting reporting = open(DURING)) {
            for (String domain : List.of("example.org", "two.example", "bad.example", "none.example")) {
                reporting.record(success(domain, "mx1.mail." + domain));
            }
            reporting.record(failure("example.org", "mx2.mail.example.org", "starttls-not-supported", null));
        }
        try (TlsReporting reporting = open(NEXT_DAY)) {
            assertThat(reporting.sendEndedDays()).isEqualTo(1);
            assertThat(reporting.counts(DAY)).isEmpty();
        }
        assertThat(queued).hasSize(1);
        Queued mail = queued.get(0);
        assertThat(mail.sender()).hasToString("postmaster@tern.test");
        assertThat(mail.recipients()).extracting(Address::toString)
                .containsExactly("tls@example.org", "copy@example.net");
        TlsReport report = ((MimeReports.Found.Reports) MimeReports.read(mail.message())).reports().get(0);
        assertThat(report.organization()).isEqualTo("mx.tern.test");
        assertThat(report.contact()).isEqualTo("postmaster@mx.tern.test");
        assertThat(report.start()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(report.end()).isEqualTo(Instant.parse("2026-03-01T23:59:59Z"));
        assertThat(report.policies()).hasSize(1);
        assertThat(report.policies().get(0).successes()).isEqualTo(1);
        assertThat(report.policies().get(0).failures()).isEqualTo(1);
        assertThat(report.policies().get(0).details().get(0).resultType()).isEqualTo("starttls-not-supported");
        try (TlsReporting afterwards = open(NEXT_DAY)) {
            assertThat(afterwards.counts(DAY)).as("the day is gone from disk too").isEmpty();
        }
    }

    @Test
    void todayIsNotReportedBeforeItEnds() throws Exception {
        try (TlsReporting reporting = open(DURING)) {
            reporting.record(success("example.org", "mx1.mail.example.org"));
            assertThat(reporting.sendEndedDays()).isZero();
            assertThat(reporting.counts(DAY)).containsOnlyKeys("example.org");
        }
        assertThat(queued).isEmpty();
    }

    @Test
    void anHttpsEndpointGetsTheGzippedReportAfterARetry() throws Exception {
        try (ReportEndpoint endpoint = new ReportEndpoint(dir, 1)) {
            dns.addTxt("_smtp._tls.web.example", "v=TLSRPTv1; rua=" + endpoint.uri());
            TlsReportSettings quick = TlsReportSettings.defaults().withTimings(Duration.ZERO, Duration.ofMinutes(5),
                    Duration.ofSeconds(1));
            try (TlsReporting reporting = open(DURING, quick, endpoint.clientTrust())) {
                reporting.record(success("web.example", "mx.web.example"));
                reporting.record(failure("web.example", "mx.web.example", "certificate-host-mismatch", "SAN"));
                assertThat(reporting.sendDay(DAY)).isEqualTo(1);
                awaitPosts(endpoint, 1);
            }
            assertThat(endpoint.attempts.get()).isEqualTo(2);
            ReportEndpoint.Post post = endpoint.posts.get(0);
            assertThat(post.contentType()).isEqualTo("application/tlsrpt+gzip");
            TlsReport report = ReportJson.readGzip(new ByteArrayInputStream(post.body()));
            assertThat(report.policies().get(0).policy().domain()).isEqualTo("web.example");
            assertThat(report.policies().get(0).successes()).isEqualTo(1);
            assertThat(report.policies().get(0).failures()).isEqualTo(1);
            assertThat(report.policies().get(0).details().get(0).information()).isEqualTo("SAN");
        }
        assertThat(queued).isEmpty();
    }

    @Test
    void anEndpointWhoseCertificateIsNotTrustedGetsNothing() throws Exception {
        try (ReportEndpoint endpoint = new ReportEndpoint(dir, 0)) {
            dns.addTxt("_smtp._tls.web.example", "v=TLSRPTv1; rua=" + endpoint.uri());
            TlsReportSettings noRetry = new TlsReportSettings(true, null, null, null, Duration.ZERO, 10, 10, 10,
                    Duration.ofMinutes(5), Duration.ofSeconds(5), 0, Duration.ofSeconds(1));
            try (TlsReporting reporting = open(DURING, noRetry, SSLContext.getDefault())) {
                reporting.record(success("web.example", "mx.web.example"));
                reporting.sendDay(DAY);
            }
            assertThat(endpoint.attempts.get()).as("the handshake fails before any request").isZero();
            assertThat(endpoint.posts).isEmpty();
        }
    }

    private static void awaitPosts(ReportEndpoint endpoint, int count) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (endpoint.posts.size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
    }
}
