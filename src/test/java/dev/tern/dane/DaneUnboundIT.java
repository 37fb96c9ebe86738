package dev.tern.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.dane.TestCertificates.Issued;
import dev.tern.dns.DnsResolver;
import dev.tern.dns.DnsResult;
import dev.tern.dns.DnsjavaResolver;
import dev.tern.dns.ResolverSettings;
import dev.tern.dns.ResponseCache;
import dev.tern.testdns.SignedZone;
import dev.tern.testdns.TestDnsServer;
import dev.tern.testdns.Unbound;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DANE against the real thing: a zone signed in the test, served on loopback, validated by Debian's unbound,
 * and the production resolver and {@link DnsDane} asking unbound. The AD bit, SERVFAIL for bogus data and
 * insecure answers all come from unbound's validator, not from the test.
 */
class DaneUnboundIT {

    @TempDir
    static Path dir;

    private static SignedZone signed;
    private static SignedZone plain;
    private static TestDnsServer authority;
    private static Unbound unbound;
    private static DnsResolver dns;
    private static Issued root;
    private static Issued leaf;

    @BeforeAll
    static void start() throws Exception {
        root = TestCertificates.root("Unbound Test Root");
        leaf = root.issue("mx.good.dane.test", List.of("mx.good.dane.test"), false);
        String leafKey = hex(TestCertificates.tlsa(3, 1, 1, leaf.cert()).data());
        String rootCert = hex(TestCertificates.tlsa(2, 0, 1, root.cert()).data());

        signed = SignedZone.signed("dane.test.")
                .add("good", "MX", "10 mx.good")
                .add("mx.good", "A", "127.0.0.1")
                .add("_25._tcp.mx.good", "TLSA", "3 1 1 " + leafKey)
                .add("_25._tcp.mx.good", "TLSA", "2 0 1 " + rootCert)
                .add("broken", "MX", "10 mx.broken")
                .add("mx.broken", "A", "127.0.0.1")
                .add("_25._tcp.mx.broken", "TLSA", "3 1 1 " + leafKey)
                .breakSignature("_25._tcp.mx.broken", "TLSA")
                .add("badaddress", "MX", "10 mx.badaddress")
                .add("mx.badaddress", "A", "127.0.0.1")
                .breakSignature("mx.badaddress", "A")
                .add("_25._tcp.mx.badaddress", "TLSA", "3 1 1 " + leafKey)
                .add("notlsa", "MX", "10 mx.notlsa")
                .add("mx.notlsa", "A", "127.0.0.1")
                .add("pkix", "MX", "10 mx.pkix")
                .add("mx.pkix", "A", "127.0.0.1")
                .add("_25._tcp.mx.pkix", "TLSA", "1 1 1 " + leafKey)
                .add("outside", "MX", "10 mx.plain.test.");
        plain = SignedZone.unsigned("plain.test.")
                .add("@", "MX", "10 mx")
                .add("mx", "A", "127.0.0.1")
                .add("_25._tcp.mx", "TLSA", "3 1 1 " + leafKey);
        authority = TestDnsServer.authoritative(signed, plain);
        unbound = Unbound.start(dir, authority, signed, plain);
        dns = new DnsjavaResolver(ResolverSettings.of(unbound.address(), Duration.ofSeconds(5), 1),
                new ResponseCache(1 << 20));
    }

    @AfterAll
    static void stop() throws Exception {
        if (unbound != null) {
            unbound.close();
        }
        if (authority != null) {
            authority.close();
        }
    }

    @Test
    void aSignedZoneWithTlsaRecordsIsUsable() {
        TlsaLookup found = new DnsDane(dns).lookup("good.dane.test", "mx.good.dane.test", 25);

        assertThat(found).as(unbound.log()).isInstanceOfSatisfying(TlsaLookup.Usable.class, usable -> {
            assertThat(usable.usable()).extracting(r -> r.usage()).containsExactlyInAnyOrder(3, 2);
            assertThat(usable.referenceNames()).containsExactly("mx.good.dane.test");
            assertThat(usable.tlsaName()).isEqualTo("_25._tcp.mx.good.dane.test");
        });
    }

    /** The records unbound validated authenticate the server in a real handshake; another key is refused. */
    @Test
    void theValidatedRecordsAuthenticateARealHandshake() throws Exception {
        TlsaLookup.Usable usable = (TlsaLookup.Usable) new DnsDane(dns).lookup("good.dane.test", "mx.good.dane.test", 25);
        Issued impostor = TestCertificates.root("Impostor").issue("mx.good.dane.test", List.of("mx.good.dane.test"),
                false);

        try (HandshakeServer server = new HandshakeServer(leaf.keys().getPrivate(), leaf.cert(), root.cert())) {
            assertThatCode(() -> server.handshake(DaneTrustManager.forRecords(usable))).doesNotThrowAnyException();
        }
        try (HandshakeServer server = new HandshakeServer(impostor.keys().getPrivate(), impostor.cert())) {
            assertThatThrownBy(() -> server.handshake(DaneTrustManager.forRecords(usable)))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    /** A TLSA RRset whose signature does not verify is bogus: unbound answers SERVFAIL, and the host is not used. */
    @Test
    void aBrokenSignatureOnTheTlsaRecordsIsFailed() {
        TlsaLookup found = new DnsDane(dns).lookup("broken.dane.test", "mx.broken.dane.test", 25);

        assertThat(found).as(unbound.log()).isInstanceOfSatisfying(TlsaLookup.Failed.class, failed -> {
            assertThat(failed.tlsaName()).isEqualTo("_25._tcp.mx.broken.dane.test");
            assertThat(failed.resultType()).isEqualTo("dnssec-invalid");
            assertThat(failed.detail()).contains("SERVFAIL");
        });
    }

    @Test
    void aBrokenSignatureOnTheAddressesIsFailed() {
        assertThat(new DnsDane(dns).lookup("badaddress.dane.test", "mx.badaddress.dane.test", 25))
                .as(unbound.log()).isInstanceOfSatisfying(TlsaLookup.Failed.class,
                        failed -> assertThat(failed.detail()).startsWith("address lookup for mx.badaddress.dane.test"));
    }

    /** NXDOMAIN for the TLSA name, proved by NSEC records that unbound checks: not applicable, not failed. */
    @Test
    void aSignedHostWithoutTlsaRecordsIsNotApplicable() {
        assertThat(new DnsDane(dns).lookup("notlsa.dane.test", "mx.notlsa.dane.test", 25)).as(unbound.log())
                .isEqualTo(new TlsaLookup.NotApplicable("no TLSA records at _25._tcp.mx.notlsa.dane.test"));
        // NODATA at an empty non-terminal and at an owner name are proved too (or unbound would say SERVFAIL).
        assertThat(dns.tlsa("_tcp.mx.good.dane.test")).as(unbound.log()).isInstanceOf(DnsResult.NoData.class);
        assertThat(dns.tlsa("mx.good.dane.test")).as(unbound.log()).isInstanceOf(DnsResult.NoData.class);
    }

    @Test
    void onlyPkixRecordsAreUnusable() {
        assertThat(new DnsDane(dns).lookup("pkix.dane.test", "mx.pkix.dane.test", 25)).as(unbound.log())
                .isInstanceOf(TlsaLookup.Unusable.class);
    }

    @Test
    void anUnsignedZoneIsNotApplicable() {
        assertThat(new DnsDane(dns).lookup("plain.test", "mx.plain.test", 25)).as(unbound.log())
                .isEqualTo(new TlsaLookup.NotApplicable("MX records of plain.test are not DNSSEC-authenticated"));
        // A signed MX RRset naming a host in the unsigned zone: the host's addresses decide.
        assertThat(new DnsDane(dns).lookup("outside.dane.test", "mx.plain.test", 25)).as(unbound.log())
                .isEqualTo(new TlsaLookup.NotApplicable("addresses of mx.plain.test are not DNSSEC-authenticated"));
        // The TLSA records themselves come back, only without the AD bit.
        assertThat(dns.tlsa("_25._tcp.mx.plain.test")).isInstanceOfSatisfying(DnsResult.Answer.class,
                answer -> assertThat(answer.authenticated()).isFalse());
    }

    private static String hex(byte[] data) {
        return HexFormat.of().formatHex(data);
    }
}
