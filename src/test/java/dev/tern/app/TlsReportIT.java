package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.TernConfig;
import dev.tern.dns.DnsjavaResolver;
import dev.tern.dns.ResolverSettings;
import dev.tern.policy.dkim.DkimAlgorithm;
import dev.tern.policy.dkim.DkimKey;
import dev.tern.policy.dkim.DkimKeyStore;
import dev.tern.policy.dkim.DkimKeys;
import dev.tern.policy.dkim.DkimResult;
import dev.tern.policy.dkim.DkimVerifier;
import dev.tern.policy.dkim.KeyLookup;
import dev.tern.store.FileDirectory;
import dev.tern.testdns.TestDnsServer;
import dev.tern.tlsrpt.TlsOutcome;
import dev.tern.tlsrpt.TlsResults;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop with real parts: outcomes told to a running Tern's {@link TlsResults} → the day's report built
 * → looked up in a loopback DNS server's {@code _smtp._tls} record → queued through the real spool, DKIM-signed
 * with a key made by {@code tern dkim keygen} → delivered by the queue into a local Maildir → read back by
 * {@code tern tls-report}, which prints the exact counts.
 */
class TlsReportIT {

    private static final List<String> STS = List.of("version: STSv1", "mode: enforce", "mx: *.example.test",
            "max_age: 604800");

    @TempDir
    Path dir;
    TestDnsServer dns;
    Tern tern;

    @AfterEach
    void stop() {
        if (tern != null) {
            tern.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void outcomesBecomeASignedReportMailThatTernTlsReportSums() throws Exception {
        dns = TestDnsServer.start();
        dns.addTxt("_smtp._tls.example.test", "v=TLSRPTv1; rua=mailto:tls-reports@example.test");
        Path data = dir.resolve("data");
        String toml = """
                hostname = "mx.tern.test"
                domains = ["tern.test", "example.test"]
                [dns]
                servers = ["127.0.0.1:%d"]
                timeout = "1s"
                retries = 0
                [tls_reports]
                max_send_delay = "0s"
                [[listener]]
                name = "mx"
                role = "mx"
                address = "127.0.0.1"
                port = 0
                """.formatted(dns.port());
        Path file = dir.resolve("tern.toml");
        Files.writeString(file, toml);
        TernConfig config = Outbound.load(dir, toml, data);
        new FileDirectory(data, config.domains()).addUser("tls-reports@example.test", "unused");
        String record = keygen(data);
        dns.addTxt("s1._domainkey.tern.test", chunks(record));
        tern = Tern.start(config);

        TlsResults results = tern.tlsResults();
        for (int i = 0; i < 7; i++) {
            results.record(outcome("mx1.example.test", null, null));
        }
        results.record(outcome("mx2.example.test", "certificate-expired", "expired 2 days ago"));
        results.record(outcome("mx2.example.test", "certificate-expired", "expired 2 days ago"));
        results.record(outcome("mx3.example.test", "starttls-not-supported", null));
        assertThat(tern.tlsReporting().sendDay(LocalDate.now(ZoneOffset.UTC))).isEqualTo(1);

        String stored = Outbound.awaitMail(data, "tls-reports@example.test",
                m -> m.contains("TLS-Report-Domain: example.test"), Duration.ofSeconds(20)).orElseThrow();
        assertThat(stored).contains("Subject: Report Domain: example.test Submitter: mx.tern.test Report-ID: <")
                .contains("From: postmaster@tern.test\r\n").contains("TLS-Report-Submitter: mx.tern.test\r\n")
                .contains("DKIM-Signature: v=1; a=rsa-sha256;").contains(" d=tern.test;");
        List<DkimResult> verified = new DkimVerifier(KeyLookup.dns(new DnsjavaResolver(
                ResolverSettings.of(dns.address(), Duration.ofSeconds(2), 0))), Clock.systemUTC())
                .verify(new ByteArrayInputStream(stored.getBytes(StandardCharsets.UTF_8)));
        assertThat(verified).singleElement().satisfies(r -> {
            assertThat(r.trusted()).as(r.toString()).isTrue();
            assertThat(r.domain()).isEqualTo("tern.test");
        });

        Outbound.Run summary = Outbound.tern("tls-report", "tls-reports@example.test", "--config", file.toString(),
                "--data", data.toString());
        assertThat(summary.exit()).as(summary.err()).isZero();
        assertThat(summary.out()).contains("example.test, reported by mx.tern.test\n")
                .contains("  sessions: 7 successful, 3 failed\n")
                .contains("    certificate-expired: 2 (mx2.example.test)\n")
                .contains("    starttls-not-supported: 1 (mx3.example.test)\n")
                .contains("1 message read: 1 report, 0 not a report, 0 unreadable");

        Outbound.Run json = Outbound.tern("tls-report", data.resolve("mail/example.test/tls-reports").toString(),
                "--json");
        assertThat(json.exit()).as(json.err()).isZero();
        assertThat(json.out()).contains("\"successful_sessions\":7,\"failed_sessions\":3")
                .contains("{\"result_type\":\"certificate-expired\",\"sessions\":2,\"mx_hosts\":[\"mx2.example.test\"]}");
        Outbound.Run later = Outbound.tern("tls-report", data.resolve("mail/example.test/tls-reports").toString(),
                "--since", LocalDate.now(Clock.systemUTC()).plusDays(2).toString());
        assertThat(later.out()).contains("1 message read: 0 reports, 1 older left out");
    }

    private static TlsOutcome outcome(String mx, String resultType, String detail) {
        return new TlsOutcome("example.test", TlsOutcome.PolicyType.STS, STS, "*.example.test", resultType,
                "127.0.0.1", mx, "192.0.2.25", detail);
    }

    /** {@code tern dkim keygen tern.test}; returns the public key record. */
    private static String keygen(Path data) throws Exception {
        Outbound.Run run = Outbound.tern("dkim", "keygen", "tern.test", "--selector", "s1", "--data", data.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        DkimKey key = DkimKeyStore.inDataDirectory(data).keys("tern.test").get(0);
        return DkimKeys.recordValue(DkimAlgorithm.RSA_SHA256, DkimKeys.publicKey(key.key()));
    }

    private static String[] chunks(String value) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < value.length(); i += 255) {
            out.add(value.substring(i, Math.min(value.length(), i + 255)));
        }
        return out.toArray(String[]::new);
    }
}
