package dev.tern.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.MtaStsSettings;
import dev.tern.dns.DnsjavaResolver;
import dev.tern.dns.ResolverSettings;
import dev.tern.testdns.LoopbackHosts;
import dev.tern.testdns.TestDnsServer;
import dev.tern.tls.TestAuthority;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * MTA-STS against real parts on loopback: {@link TestDnsServer} answering {@code _mta-sts.example.test} to the real
 * {@link DnsjavaResolver}, and a real HTTPS server ({@link PolicyHost}) for {@code mta-sts.example.test} with a
 * certificate of a test CA, trusted as production trusts {@code [delivery] ca_file}.
 */
class StsPoliciesIT {

    private static final String DOMAIN = "example.test";
    private static final String HOST = "mta-sts.example.test";
    private static final String ENFORCE = "version: STSv1\r\nmode: enforce\r\nmx: mx.example.test\r\nmax_age: 86400\r\n";
    private static final String TESTING = "version: STSv1\nmode: testing\nmx: *.example.test\nmax_age: 86400\n";
    private static final MtaStsSettings SETTINGS = MtaStsSettings.defaults()
            .withFetchLimits(Duration.ofSeconds(5), 4096, Duration.ZERO);

    @TempDir
    Path dir;

    private TestDnsServer dnsServer;
    private DnsjavaResolver dns;
    private TestAuthority ca;
    private PolicyHost web;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T12:00:00Z"));

    @BeforeEach
    void start() throws Exception {
        dnsServer = TestDnsServer.start();
        dns = new DnsjavaResolver(ResolverSettings.of(dnsServer.address(), Duration.ofMillis(500), 0));
        ca = TestAuthority.create(dir.resolve("pki"));
        web = new PolicyHost(ca.serverTls(List.of(HOST)));
        LoopbackHosts.add(HOST);
    }

    @AfterEach
    void stop() {
        LoopbackHosts.remove(HOST);
        web.close();
        dnsServer.close();
    }

    private HttpsStsPolicies policies() throws Exception {
        return policies(web.port());
    }

    private HttpsStsPolicies policies(int port) throws Exception {
        return HttpsStsPolicies.create(SETTINGS, dns, dir.resolve("cache"), ca.caFile(), port, clock);
    }

    private void publish(String id) {
        dnsServer.remove("_mta-sts." + DOMAIN).addTxt("_mta-sts." + DOMAIN, "v=STSv1; id=" + id);
    }

    private static void assertFailed(StsLookup lookup, String resultType, String detail) {
        assertThat(lookup).isInstanceOfSatisfying(StsLookup.Failed.class, f -> {
            assertThat(f.resultType()).isEqualTo(resultType);
            assertThat(f.detail()).contains(detail);
        });
    }

    @Test
    void aFreshPolicyIsFoundAndARestartKeepsIt() throws Exception {
        publish("one");
        web.policy(ENFORCE);

        StsLookup found;
        try (HttpsStsPolicies policies = policies()) {
            found = policies.lookup(DOMAIN);
        }
        dnsServer.servfail("_mta-sts." + DOMAIN);
        StsLookup afterRestart;
        try (HttpsStsPolicies restarted = policies()) {
            afterRestart = restarted.lookup(DOMAIN);
        }

        assertThat(found).isInstanceOfSatisfying(StsLookup.Found.class, f -> {
            assertThat(f.text()).isEqualTo(ENFORCE);
            assertThat(f.policy().mode()).isEqualTo(StsPolicy.Mode.ENFORCE);
            assertThat(f.policy().matches("mx.example.test")).isTrue();
            assertThat(f.policy().id()).isEqualTo("one");
        });
        assertThat(afterRestart).isEqualTo(found);
        assertThat(web.requests()).containsExactly("/.well-known/mta-sts.txt");
    }

    @Test
    void aNewIdIsFetchedAgain() throws Exception {
        publish("one");
        web.policy(ENFORCE);
        try (HttpsStsPolicies policies = policies()) {
            policies.lookup(DOMAIN);
            assertThat(policies.lookup(DOMAIN)).isInstanceOf(StsLookup.Found.class);
            assertThat(web.requests()).hasSize(1);
            publish("two");
            web.policy(TESTING);

            assertThat(policies.lookup(DOMAIN)).isInstanceOfSatisfying(StsLookup.Found.class, f -> {
                assertThat(f.policy().id()).isEqualTo("two");
                assertThat(f.policy().mode()).isEqualTo(StsPolicy.Mode.TESTING);
            });
            assertThat(web.requests()).hasSize(2);
        }
    }

    @Test
    void aDnsFailureDuringRefreshKeepsTheCachedPolicyAndExpiryEndsIt() throws Exception {
        publish("one");
        web.policy(ENFORCE);
        try (HttpsStsPolicies policies = policies()) {
            StsLookup fresh = policies.lookup(DOMAIN);
            assertThat(fresh).isInstanceOf(StsLookup.Found.class);
            clock.advance(Duration.ofHours(20)); // past half of max_age: a refresh is due

            dnsServer.servfail("_mta-sts." + DOMAIN);
            assertThat(policies.lookup(DOMAIN)).as("SERVFAIL").isEqualTo(fresh);
            dnsServer.remove("_mta-sts." + DOMAIN).timeout("_mta-sts." + DOMAIN, Type.TXT);
            assertThat(policies.lookup(DOMAIN)).as("no answer at all").isEqualTo(fresh);
            dnsServer.remove("_mta-sts." + DOMAIN);
            assertThat(policies.lookup(DOMAIN)).as("the record stripped").isEqualTo(fresh);

            clock.advance(Duration.ofHours(4));
            dnsServer.servfail("_mta-sts." + DOMAIN);
            assertFailed(policies.lookup(DOMAIN), "sts-policy-fetch-error", "DNS lookup of _mta-sts.example.test failed");
            dnsServer.remove("_mta-sts." + DOMAIN);
            assertThat(policies.lookup(DOMAIN)).as("expired, and no record").isEqualTo(new StsLookup.None());
        }
        assertThat(web.requests()).hasSize(1);
    }

    @Test
    void anExpiredPolicyWhoseHostIsDownIsAFetchError() throws Exception {
        publish("one");
        web.policy(ENFORCE);
        int port = web.port();
        try (HttpsStsPolicies policies = policies()) {
            policies.lookup(DOMAIN);
            clock.advance(Duration.ofDays(1));
            web.close();

            assertFailed(policies.lookup(DOMAIN), "sts-policy-fetch-error", "https://mta-sts.example.test:" + port);
        }
    }

    @Test
    void aCertificateForAnotherNameOrFromAnUnknownAuthorityIsWebPkiInvalid() throws Exception {
        publish("one");
        try (PolicyHost wrongName = new PolicyHost(ca.serverTls(List.of("www.example.test"))).policy(ENFORCE);
             PolicyHost selfSigned = new PolicyHost(ca.selfSignedTls(HOST)).policy(ENFORCE);
             HttpsStsPolicies toWrongName = policies(wrongName.port());
             HttpsStsPolicies toSelfSigned = policies(selfSigned.port())) {

            assertFailed(toWrongName.lookup(DOMAIN), "sts-webpki-invalid", "the certificate does not verify");
            assertFailed(toSelfSigned.lookup(DOMAIN), "sts-webpki-invalid", "the certificate does not verify");
            assertThat(wrongName.requests()).isEmpty();
            assertThat(selfSigned.requests()).isEmpty();
        }
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        publish("one");
        web.answer(e -> {
            if (e.getRequestURI().getPath().equals("/.well-known/mta-sts.txt")) {
                e.getResponseHeaders().set("Location", "https://" + HOST + ":" + web.port() + "/elsewhere");
                PolicyHost.send(e, 301, "text/plain", "moved");
            } else {
                PolicyHost.send(e, 200, "text/plain", ENFORCE);
            }
        });
        try (HttpsStsPolicies policies = policies()) {
            assertFailed(policies.lookup(DOMAIN), "sts-policy-fetch-error", "HTTP 301 redirect to https://" + HOST);
        }
        assertThat(web.requests()).containsExactly("/.well-known/mta-sts.txt");
    }

    @Test
    void anOversizedSlowOrMalformedPolicyIsFailed() throws Exception {
        publish("one");
        try (HttpsStsPolicies policies = policies()) {
            web.policy(ENFORCE + "x-padding: " + "p".repeat(4096) + "\r\n");
            assertFailed(policies.lookup(DOMAIN), "sts-policy-invalid", "larger than 4096 octets");

            web.answer(e -> {
                e.getResponseHeaders().set("Content-Type", "text/plain");
                e.sendResponseHeaders(200, 0);
                OutputStream out = e.getResponseBody();
                out.write("version: STSv1\r\n".getBytes());
                out.flush();
                Thread.sleep(Duration.ofSeconds(30)); // the client gives up long before; close() interrupts this
            });
            assertFailed(policies.lookup(DOMAIN), "sts-policy-fetch-error", "no complete answer within 5s");

            web.policy("version: STSv1\r\nmode: enforce\r\nmx: mx.example.test\r\nmax_age: one week\r\n");
            assertFailed(policies.lookup(DOMAIN), "sts-policy-invalid", "max_age \"one week\"");

            web.policy("text/html", ENFORCE);
            assertFailed(policies.lookup(DOMAIN), "sts-policy-invalid", "not text/plain");

            web.answer(e -> PolicyHost.send(e, 404, "text/plain", "no"));
            assertFailed(policies.lookup(DOMAIN), "sts-policy-fetch-error", "HTTP 404");
        }
    }

    @Test
    void modeNoneDropsThePolicy() throws Exception {
        publish("one");
        web.policy(ENFORCE);
        try (HttpsStsPolicies policies = policies()) {
            assertThat(policies.lookup(DOMAIN)).isInstanceOf(StsLookup.Found.class);
            publish("two");
            web.policy("version: STSv1\nmode: none\nmax_age: 86400\n");

            assertThat(policies.lookup(DOMAIN)).isEqualTo(new StsLookup.None());
        }
        dnsServer.servfail("_mta-sts." + DOMAIN);
        try (HttpsStsPolicies restarted = policies()) {
            assertThat(restarted.lookup(DOMAIN)).as("the enforce policy does not come back").isEqualTo(new StsLookup.None());
        }
        assertThat(Files.readString(dir.resolve("cache").resolve(DOMAIN))).contains("mode: none");
    }
}
