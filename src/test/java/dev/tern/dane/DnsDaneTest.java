package dev.tern.dane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.DaneSettings;
import dev.tern.config.DnsSettings;
import dev.tern.dns.DnsjavaResolver;
import dev.tern.dns.ResolverSettings;
import dev.tern.dns.TlsaRecord;
import dev.tern.testdns.TestDnsServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * Each outcome of RFC 7672 §2.2 through the real resolver and a loopback DNS server that sets the AD bit as a
 * validating resolver would ({@code authenticated()}), except for the names marked {@code insecure}.
 */
class DnsDaneTest {

    private static final String EE = "3 1 1 " + "ab".repeat(32);
    private static final TlsaRecord EE_RECORD = new TlsaRecord(3, 1, 1, HexFormat.of().parseHex("ab".repeat(32)));

    private TestDnsServer server;
    private DnsDane dane;

    @BeforeEach
    void start() throws Exception {
        server = TestDnsServer.start().authenticated();
        server.add("example.org", "MX", "10 mx.example.org.")
                .add("mx.example.org", "A", "192.0.2.25")
                .add("mx.example.org", "AAAA", "2001:db8::25")
                .add("_25._tcp.mx.example.org", "TLSA", EE);
        dane = new DnsDane(new DnsjavaResolver(ResolverSettings.of(server.address(), Duration.ofMillis(300), 0)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void authenticatedAllTheWayWithAUsableRecordIsUsable() {
        TlsaLookup found = dane.lookup("example.org", "mx.example.org.", 25);

        assertThat(found).isEqualTo(new TlsaLookup.Usable(List.of(EE_RECORD), List.of("mx.example.org"),
                "_25._tcp.mx.example.org"));
        assertThat(dane.lookup("EXAMPLE.org.", "MX.example.org", 25)).isInstanceOf(TlsaLookup.Usable.class);
    }

    @Test
    void onlyDaneRecordsWithKnownParametersAreUsable() {
        server.add("_25._tcp.mx.example.org", "TLSA", "1 1 1 " + "cd".repeat(32))
                .add("_25._tcp.mx.example.org", "TLSA", "2 1 1 " + "ef".repeat(31)); // a digest too short
        assertThat(dane.lookup("example.org", "mx.example.org", 25))
                .isEqualTo(new TlsaLookup.Usable(List.of(EE_RECORD), List.of("mx.example.org"),
                        "_25._tcp.mx.example.org"));
    }

    @Test
    void anAuthenticatedSetWithoutUsableRecordsIsUnusable() {
        server.add("pkix.example", "MX", "10 mx.pkix.example.").add("mx.pkix.example", "A", "192.0.2.26")
                .add("_25._tcp.mx.pkix.example", "TLSA", "0 0 1 " + "12".repeat(32))
                .add("_25._tcp.mx.pkix.example", "TLSA", "1 1 1 " + "34".repeat(32))
                .add("_25._tcp.mx.pkix.example", "TLSA", "3 2 1 " + "56".repeat(32))
                .add("_25._tcp.mx.pkix.example", "TLSA", "3 1 9 " + "78".repeat(32));

        assertThat(dane.lookup("pkix.example", "mx.pkix.example", 25))
                .isEqualTo(new TlsaLookup.Unusable("_25._tcp.mx.pkix.example", "no usable record among 4"));
    }

    @Test
    void anUnsignedMxRrsetMakesDaneNotApplicable() {
        server.insecure("example.org");
        assertThat(dane.lookup("example.org", "mx.example.org", 25))
                .isEqualTo(new TlsaLookup.NotApplicable("MX records of example.org are not DNSSEC-authenticated"));
    }

    @Test
    void unsignedAddressesMakeDaneNotApplicable() {
        server.insecure("mx.example.org");
        assertThat(dane.lookup("example.org", "mx.example.org", 25))
                .isEqualTo(new TlsaLookup.NotApplicable("addresses of mx.example.org are not DNSSEC-authenticated"));
    }

    @Test
    void unsignedTlsaRecordsMakeDaneNotApplicable() {
        server.insecure("_25._tcp.mx.example.org");
        assertThat(dane.lookup("example.org", "mx.example.org", 25)).isEqualTo(new TlsaLookup.NotApplicable(
                "TLSA records at _25._tcp.mx.example.org are not DNSSEC-authenticated"));
    }

    @Test
    void nothingAuthenticatedAtAllIsNotApplicable() throws Exception {
        try (TestDnsServer plain = TestDnsServer.start()) {
            plain.add("example.org", "MX", "10 mx.example.org.").add("mx.example.org", "A", "192.0.2.25")
                    .add("_25._tcp.mx.example.org", "TLSA", EE);
            DnsDane overPlain = new DnsDane(new DnsjavaResolver(ResolverSettings.of(plain.address(),
                    Duration.ofMillis(300), 0)));
            assertThat(overPlain.lookup("example.org", "mx.example.org", 25))
                    .isInstanceOf(TlsaLookup.NotApplicable.class);
        }
    }

    @Test
    void noTlsaRecordsIsNotApplicable() {
        server.add("bare.example", "MX", "10 mx.bare.example.").add("mx.bare.example", "A", "192.0.2.27")
                .addName("_25._tcp.mx.bare.example"); // the name exists: NODATA
        assertThat(dane.lookup("bare.example", "mx.bare.example", 25))
                .isEqualTo(new TlsaLookup.NotApplicable("no TLSA records at _25._tcp.mx.bare.example"));
        // NXDOMAIN: nothing at the port asked for
        assertThat(dane.lookup("example.org", "mx.example.org", 465))
                .isEqualTo(new TlsaLookup.NotApplicable("no TLSA records at _465._tcp.mx.example.org"));
    }

    /** RFC 7672 §2.2.1: a failed lookup below an authenticated MX RRset must not let the host be used. */
    @Test
    void aFailedTlsaLookupBelowSignedRecordsIsFailed() {
        server.servfail("_25._tcp.mx.example.org");
        assertThat(dane.lookup("example.org", "mx.example.org", 25)).isEqualTo(new TlsaLookup.Failed(
                "_25._tcp.mx.example.org", "dnssec-invalid", "TLSA lookup: SERVFAIL for _25._tcp.mx.example.org. TLSA"));
    }

    @Test
    void aTimedOutTlsaLookupIsFailed() {
        server.timeout("_25._tcp.mx.example.org", Type.TLSA);
        assertThat(dane.lookup("example.org", "mx.example.org", 25)).isInstanceOfSatisfying(TlsaLookup.Failed.class,
                f -> assertThat(f.detail()).startsWith("TLSA lookup: ").contains("_25._tcp.mx.example.org"));
    }

    @Test
    void aFailedAddressLookupOfASecureHostIsFailed() {
        server.timeout("mx.example.org", Type.AAAA);
        assertThat(dane.lookup("example.org", "mx.example.org", 25)).isInstanceOfSatisfying(TlsaLookup.Failed.class,
                f -> assertThat(f.detail()).startsWith("address lookup for mx.example.org: "));
    }

    @Test
    void aFailedMxLookupIsFailed() {
        server.servfail("example.org");
        assertThat(dane.lookup("example.org", "mx.example.org", 25)).isInstanceOf(TlsaLookup.Failed.class);
    }

    /** No MX records: the domain is its own host, and its authenticated addresses stand for the MX RRset. */
    @Test
    void anImplicitMxIsJudgedByItsAddresses() {
        server.add("implicit.example", "A", "192.0.2.28").add("_25._tcp.implicit.example", "TLSA", EE);
        assertThat(dane.lookup("implicit.example", "implicit.example", 25)).isInstanceOf(TlsaLookup.Usable.class);

        server.insecure("implicit.example");
        assertThat(dane.lookup("implicit.example", "implicit.example", 25))
                .isInstanceOf(TlsaLookup.NotApplicable.class);
    }

    @Test
    void aHostWithoutAddressesIsNotApplicable() {
        server.add("gone.example", "MX", "10 nowhere.gone.example.");
        assertThat(dane.lookup("gone.example", "nowhere.gone.example", 25))
                .isEqualTo(new TlsaLookup.NotApplicable("host nowhere.gone.example has no address"));
        assertThat(dane.lookup("no-such-domain.example", "mx.example.org", 25))
                .isEqualTo(new TlsaLookup.NotApplicable("domain no-such-domain.example does not exist"));
    }

    @Test
    void theFactoryTurnsDaneOnOnlyForALoopbackResolverUnlessTold() {
        var resolver = new DnsjavaResolver(ResolverSettings.of(server.address(), Duration.ofMillis(300), 0));
        DnsSettings loopback = new DnsSettings(List.of(new InetSocketAddress("127.0.0.1", 53),
                new InetSocketAddress("::1", 53)), Duration.ofSeconds(5), 2);
        DnsSettings remote = new DnsSettings(List.of(new InetSocketAddress("127.0.0.1", 53),
                new InetSocketAddress("192.0.2.53", 53)), Duration.ofSeconds(5), 2);
        DnsSettings system = DnsSettings.defaults();

        assertThat(DnsDane.create(DaneSettings.defaults(), loopback, resolver)).isInstanceOf(DnsDane.class);
        assertThat(DnsDane.create(DaneSettings.defaults(), remote, resolver)).isSameAs(Dane.NONE);
        assertThat(DnsDane.create(DaneSettings.defaults(), system, resolver)).isSameAs(Dane.NONE);
        assertThat(DnsDane.create(new DaneSettings(DaneSettings.Mode.ON), remote, resolver)).isInstanceOf(DnsDane.class);
        assertThat(DnsDane.create(new DaneSettings(DaneSettings.Mode.OFF), loopback, resolver)).isSameAs(Dane.NONE);
    }
}
