package dev.tern.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.MtaStsSettings;
import dev.tern.dns.DnsjavaResolver;
import dev.tern.dns.ResolverSettings;
import dev.tern.testdns.LoopbackHosts;
import dev.tern.testdns.TestDnsServer;
import dev.tern.tls.ServerTls;
import dev.tern.tls.TestAuthority;
import dev.tern.tls.TrustAnchors;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our policy served by {@link PolicyServer} on a loopback socket, fetched back by the same client code that fetches
 * other domains' policies ({@link HttpsStsPolicies}, real DNS server, real HTTPS): it must parse and match.
 */
class PolicyServerTest {

    private static final List<String> HOSTS = List.of("mta-sts.example.test", "mta-sts.other.test");

    @TempDir
    Path dir;

    private TestDnsServer dnsServer;
    private TestAuthority ca;
    private PolicyServer server;
    private final AtomicReference<PublishedPolicy> policy = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        dnsServer = TestDnsServer.start();
        ca = TestAuthority.create(dir.resolve("pki"));
        ServerTls tls = ca.serverTls(HOSTS);
        policy.set(PublishedPolicy.of(MtaStsSettings.defaults().withPolicy(MtaStsSettings.Mode.ENFORCE,
                List.of("mx.example.test", "*.backup.example.test"), Duration.ofDays(30)), "mx.example.test"));
        server = PolicyServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), tls.context(),
                tls.parameters(), "example.test"::equals, policy::get);
        HOSTS.forEach(LoopbackHosts::add);
    }

    @AfterEach
    void stop() {
        HOSTS.forEach(LoopbackHosts::remove);
        server.close();
        dnsServer.close();
    }

    private HttpsStsPolicies client() throws Exception {
        return HttpsStsPolicies.create(MtaStsSettings.defaults().withFetchLimits(Duration.ofSeconds(10), 65536,
                        Duration.ZERO),
                new DnsjavaResolver(ResolverSettings.of(dnsServer.address(), Duration.ofSeconds(2), 1)),
                dir.resolve("cache"), ca.caFile(), server.port(), Clock.systemUTC());
    }

    @Test
    void ourPolicyFetchedByTheSameClientParsesAndMatches() throws Exception {
        PublishedPolicy published = policy.get();
        dnsServer.addTxt("_mta-sts.example.test", published.txtRecord());

        StsLookup lookup;
        try (HttpsStsPolicies client = client()) {
            lookup = client.lookup("example.test");
        }

        assertThat(lookup).isInstanceOfSatisfying(StsLookup.Found.class, f -> {
            assertThat(f.text()).isEqualTo(published.text());
            assertThat(f.policy().mode()).isEqualTo(StsPolicy.Mode.ENFORCE);
            assertThat(f.policy().id()).isEqualTo(published.id());
            assertThat(f.policy().maxAge()).isEqualTo(Duration.ofDays(30));
            assertThat(f.policy().matches("mx.example.test")).isTrue();
            assertThat(f.policy().matches("mx2.backup.example.test")).isTrue();
            assertThat(f.policy().matches("mx.elsewhere.test")).isFalse();
        });
        assertThat(published.txtRecord()).matches("v=STSv1; id=[0-9a-f]{20}");
    }

    @Test
    void aDomainThatIsNotOursIsNotFound() throws Exception {
        dnsServer.addTxt("_mta-sts.other.test", "v=STSv1; id=1");

        try (HttpsStsPolicies client = client()) {
            assertThat(client.lookup("other.test")).isInstanceOfSatisfying(StsLookup.Failed.class,
                    f -> assertThat(f.detail()).endsWith("HTTP 404"));
        }
    }

    @Test
    void otherPathsAndMethodsAreRefusedAndAReloadedPolicyIsServedAtOnce() throws Exception {
        String base = "https://mta-sts.example.test:" + server.port();
        try (HttpClient http = HttpClient.newBuilder().sslContext(TrustAnchors.clientContext(ca.caFile())).build()) {
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create(base + "/index.html")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + PublishedPolicy.PATH))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            policy.set(PublishedPolicy.of(MtaStsSettings.defaults(), "mx.example.test"));
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(base + PublishedPolicy.PATH))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(other.statusCode()).isEqualTo(404);
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
            assertThat(get.body()).isEqualTo("version: STSv1\r\nmode: testing\r\nmx: mx.example.test\r\n"
                    + "max_age: 604800\r\n");
        }
    }

    @Test
    void theHostHeaderNamesThePolicyDomain() {
        assertThat(PolicyServer.policyDomain("MTA-STS.Example.Test:443")).isEqualTo("example.test");
        assertThat(PolicyServer.policyDomain("mta-sts.example.test.")).isEqualTo("example.test");
        assertThat(PolicyServer.policyDomain("example.test")).isNull();
        assertThat(PolicyServer.policyDomain("mta-sts.")).isNull();
        assertThat(PolicyServer.policyDomain("[::1]:443")).isNull();
        assertThat(PolicyServer.policyDomain(null)).isNull();
    }

    @Test
    void theIdChangesWithThePolicyAndOnlyThen() {
        MtaStsSettings settings = MtaStsSettings.defaults();
        PublishedPolicy a = PublishedPolicy.of(settings, "mx.example.test");
        assertThat(PublishedPolicy.of(settings, "MX.example.test.")).isEqualTo(a);
        assertThat(PublishedPolicy.of(settings.withPolicy(MtaStsSettings.Mode.ENFORCE, List.of(),
                settings.maxAge()), "mx.example.test").id()).isNotEqualTo(a.id());
        assertThat(PublishedPolicy.of(settings, "mx2.example.test").id()).isNotEqualTo(a.id());
        assertThat(StsRecord.id(a.txtRecord())).isEqualTo(a.id());
        assertThat(PublishedPolicy.tlsRptRecord("example.test")).isEqualTo("v=TLSRPTv1; rua=mailto:postmaster@example.test");
        assertThat(PublishedPolicy.url("example.test")).isEqualTo("https://mta-sts.example.test/.well-known/mta-sts.txt");
    }
}
