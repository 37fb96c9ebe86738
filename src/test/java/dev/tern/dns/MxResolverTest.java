package dev.tern.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.testdns.TestDnsServer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MxResolverTest {

    private TestDnsServer server;
    private DnsjavaResolver dns;

    @BeforeEach
    void start() throws Exception {
        server = TestDnsServer.start();
        dns = new DnsjavaResolver(ResolverSettings.of(server.address(), Duration.ofMillis(300), 0));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Route route(String domain, AddressPreference preference, long seed) {
        return new MxResolver(dns, preference, new Random(seed)).route(domain);
    }

    private static List<String> hosts(Route route) {
        assertThat(route).isInstanceOf(Route.Targets.class);
        return ((Route.Targets) route).targets().stream().map(Target::host).toList();
    }

    @Test
    void hostsComeByPreferenceWithEqualOnesInRandomOrder() {
        server.add("d.example", "MX", "20 backup.d.example.").add("d.example", "MX", "10 a.d.example.")
                .add("d.example", "MX", "10 b.d.example.").add("d.example", "MX", "10 c.d.example.");
        for (String h : List.of("a", "b", "c", "backup")) {
            server.add(h + ".d.example", "A", "192.0.2." + (h.length() + 10));
        }

        Set<String> firstHosts = new TreeSet<>();
        for (long seed = 0; seed < 30; seed++) {
            List<String> order = hosts(route("d.example", AddressPreference.IPV4_ONLY, seed));
            assertThat(order).hasSize(4);
            assertThat(order.subList(0, 3)).containsExactlyInAnyOrder("a.d.example", "b.d.example", "c.d.example");
            assertThat(order.get(3)).isEqualTo("backup.d.example");
            firstHosts.add(order.get(0));
        }
        assertThat(firstHosts).hasSizeGreaterThan(1);
    }

    @Test
    void addressFamiliesFollowThePreference() {
        server.add("d.example", "MX", "10 mx.d.example.").add("mx.d.example", "A", "192.0.2.1")
                .add("mx.d.example", "AAAA", "2001:db8::1");

        Route v6first = route("d.example", AddressPreference.IPV6_FIRST, 1);
        Route v4first = route("d.example", AddressPreference.IPV4_FIRST, 1);
        Route v4only = route("d.example", AddressPreference.IPV4_ONLY, 1);

        assertThat(((Route.Targets) v6first).targets()).extracting(t -> t.address().getHostAddress())
                .containsExactly("2001:db8:0:0:0:0:0:1", "192.0.2.1");
        assertThat(((Route.Targets) v4first).targets()).extracting(t -> t.address().getHostAddress())
                .containsExactly("192.0.2.1", "2001:db8:0:0:0:0:0:1");
        assertThat(((Route.Targets) v4only).targets()).hasSize(1);
    }

    @Test
    void noMxMeansTheDomainItselfAtPreferenceZero() {
        server.add("plain.example", "A", "192.0.2.3");

        Route route = route("plain.example", AddressPreference.IPV4_FIRST, 1);

        assertThat(((Route.Targets) route).targets()).singleElement()
                .satisfies(t -> {
                    assertThat(t.host()).isEqualTo("plain.example");
                    assertThat(t.preference()).isZero();
                });
    }

    @Test
    void nullMxIsPermanent() {
        server.add("nomail.example", "MX", "0 .").add("nomail.example", "A", "192.0.2.4");

        assertThat(route("nomail.example", AddressPreference.IPV4_FIRST, 1))
                .isEqualTo(new Route.Permanent("5.1.10", "domain nomail.example does not accept mail (null MX)"));
    }

    @Test
    void nxdomainIsPermanentAndServfailIsTemporary() {
        server.servfail("broken.example");

        assertThat(route("missing.example", AddressPreference.IPV4_FIRST, 1)).isInstanceOf(Route.Permanent.class);
        assertThat(route("broken.example", AddressPreference.IPV4_FIRST, 1)).isInstanceOf(Route.Temporary.class);
    }

    @Test
    void hostsWithoutAddressesArePermanentUnlessALookupFailedTemporarily() {
        server.add("gone.example", "MX", "10 nowhere.gone.example.");
        server.add("flaky.example", "MX", "10 down.flaky.example.").servfail("down.flaky.example");
        server.add("mixed.example", "MX", "10 down.flaky.example.").add("mixed.example", "MX", "20 ok.mixed.example.")
                .add("ok.mixed.example", "A", "192.0.2.8");

        assertThat(route("gone.example", AddressPreference.IPV4_FIRST, 1)).isInstanceOf(Route.Permanent.class);
        assertThat(route("flaky.example", AddressPreference.IPV4_FIRST, 1)).isInstanceOf(Route.Temporary.class);
        assertThat(hosts(route("mixed.example", AddressPreference.IPV4_FIRST, 1))).containsExactly("ok.mixed.example");
    }
}
