package dev.tern.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.testdns.FakeDnsResolver;
import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** MX walk corners without sockets. */
class MxResolverFakeTest {

    @Test
    void nullMxBesideRealHostsIsIgnoredAndTheRealHostsAreUsed() throws Exception {
        FakeDnsResolver dns = new FakeDnsResolver().add("d.example", "MX", new MxRecord(0, "."))
                .add("d.example", "MX", new MxRecord(10, "mx.d.example"))
                .add("mx.d.example", "A", InetAddress.getByName("192.0.2.1"));

        Route route = new MxResolver(dns, AddressPreference.IPV4_FIRST, new Random(1)).route("d.example");

        assertThat(route).isEqualTo(new Route.Targets(java.util.List.of(
                new Target("mx.d.example", InetAddress.getByName("192.0.2.1"), 10))));
    }

    @Test
    void domainWithoutMxOrAddressIsPermanentAndAFailingDomainIsTemporary() {
        FakeDnsResolver dns = new FakeDnsResolver().add("d.example", "TXT", "exists");
        FakeDnsResolver flaky = new FakeDnsResolver().fail("x.example");

        assertThat(new MxResolver(dns, AddressPreference.IPV6_FIRST).route("d.example"))
                .isInstanceOf(Route.Permanent.class);
        assertThat(new MxResolver(flaky, AddressPreference.IPV6_FIRST).route("x.example"))
                .isInstanceOf(Route.Temporary.class);
    }
}
