package dev.tern.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.testdns.TestDnsServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

class DnsjavaResolverTest {

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

    @Test
    void answersKeepEveryRecordOfTheType() throws Exception {
        server.add("host.example", "A", "192.0.2.1").add("host.example", "A", "192.0.2.2")
                .add("host.example", "AAAA", "2001:db8::1");

        assertThat(dns.a("host.example").records()).containsExactlyInAnyOrder(
                InetAddress.getByName("192.0.2.1"), InetAddress.getByName("192.0.2.2"));
        assertThat(dns.aaaa("HOST.example.").records()).containsExactly(InetAddress.getByName("2001:db8::1"));
    }

    @Test
    void nxdomainNodataAndTemporaryAreDifferentResults() {
        server.add("exists.example", "A", "192.0.2.1").servfail("broken.example").timeout("slow.example");

        assertThat(dns.txt("missing.example")).isInstanceOf(DnsResult.NxDomain.class);
        assertThat(dns.txt("exists.example")).isInstanceOf(DnsResult.NoData.class);
        assertThat(dns.txt("broken.example")).isInstanceOf(DnsResult.Temporary.class);
        assertThat(dns.txt("slow.example")).isInstanceOf(DnsResult.Temporary.class);
        assertThat(dns.txt("missing.example").isVoid()).isTrue();
        assertThat(dns.txt("broken.example").isVoid()).isFalse();
    }

    @Test
    void timeoutOfOneTypeLeavesOtherTypesAnswered() {
        server.add("half.example", "A", "192.0.2.9").timeout("half.example", Type.TXT);

        assertThat(dns.a("half.example").records()).hasSize(1);
        assertThat(dns.txt("half.example").isTemporary()).isTrue();
    }

    @Test
    void txtJoinsTheStringsOfOneRecordWithoutSeparator() {
        server.addTxt("spf.example", "v=spf1 ip4:", "192.0.2.5 -all").addTxt("spf.example", "other");

        assertThat(dns.txt("spf.example").records())
                .containsExactlyInAnyOrder("v=spf1 ip4:192.0.2.5 -all", "other");
    }

    @Test
    void mxPtrAndTlsaAreDecoded() {
        server.add("mail.example", "MX", "10 mx1.mail.example.").add("null.example", "MX", "0 .")
                .add("1.2.0.192.in-addr.arpa", "PTR", "host.example.")
                .add("_25._tcp.mx1.mail.example", "TLSA", "3 1 1 0123456789abcdef");

        assertThat(dns.mx("mail.example").records()).containsExactly(new MxRecord(10, "mx1.mail.example"));
        assertThat(dns.mx("null.example").records().get(0).isNullMx()).isTrue();
        assertThat(dns.ptr(Addresses.parse("192.0.2.1").orElseThrow()).records()).containsExactly("host.example");
        assertThat(dns.tlsa("_25._tcp.mx1.mail.example").records()).containsExactly(
                new TlsaRecord(3, 1, 1, java.util.HexFormat.of().parseHex("0123456789abcdef")));
    }

    @Test
    void cnameChainIsFollowedAndLoopIsTemporary() throws Exception {
        server.add("alias.example", "CNAME", "real.example.").add("real.example", "A", "192.0.2.7")
                .add("loop.example", "CNAME", "loop.example.");

        assertThat(dns.a("alias.example").records()).containsExactly(InetAddress.getByName("192.0.2.7"));
        assertThat(dns.a("loop.example").isTemporary()).isTrue();
    }

    /** The first query is read directly; a chain is followed from it without asking its first name again. */
    @Test
    void eachNameOfAChainIsAskedOnceAndANameThatDoesNotExistOnce() throws Exception {
        server.withoutChasingCnames().add("hop.example", "CNAME", "target.example.")
                .add("target.example", "A", "192.0.2.9");

        int before = server.udpQueries();
        assertThat(dns.a("hop.example").records()).containsExactly(InetAddress.getByName("192.0.2.9"));
        assertThat(server.udpQueries() - before).isEqualTo(2);

        before = server.udpQueries();
        assertThat(dns.a("2.0.0.127.nowhere.example")).isInstanceOf(DnsResult.NxDomain.class);
        assertThat(server.udpQueries() - before).isEqualTo(1);
    }

    @Test
    void truncatedUdpAnswerIsFetchedAgainOverTcp() {
        String big = String.join("", Collections.nCopies(200, "x"));
        for (int i = 0; i < 6; i++) {
            server.addTxt("big.example", i + big);
        }

        assertThat(dns.txt("big.example").records()).hasSize(6);
        assertThat(server.tcpQueries()).isEqualTo(1);
    }

    @Test
    void overlongLabelIsANameThatCannotExist() {
        assertThat(dns.a("x".repeat(64) + ".example")).isInstanceOf(DnsResult.NxDomain.class);
    }

    @Test
    void unreachableServerIsTemporary() throws Exception {
        int port = server.port();
        server.close();
        DnsjavaResolver gone = new DnsjavaResolver(ResolverSettings.of(
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), Duration.ofMillis(200), 1));

        assertThat(gone.a("any.example").isTemporary()).isTrue();
    }

    /** The reason of a temporary failure goes into logs and deferral notices: the RCODE and the question. */
    @Test
    void temporaryFailuresNameTheRcodeAndTheQuestion() {
        server.servfail("broken.example").add("loop.example", "CNAME", "loop.example.")
                .add("alias.example", "CNAME", "broken.example.");

        assertThat(dns.txt("broken.example")).isEqualTo(new DnsResult.Temporary<>("SERVFAIL for broken.example. TXT"));
        assertThat(dns.a("loop.example")).isEqualTo(new DnsResult.Temporary<>("SERVFAIL for loop.example. A"));
        assertThat(dns.a("alias.example")).isEqualTo(new DnsResult.Temporary<>("SERVFAIL for alias.example. A"));
    }

    /** RFC 4035 §3.2.3: the AD bit of the response that holds the records, through a CNAME as well. */
    @Test
    void theAdBitOfTheAnswerIsKept() throws Exception {
        server.add("signed.example", "A", "192.0.2.1").add("alias.example", "CNAME", "signed.example.");
        InetAddress address = InetAddress.getByName("192.0.2.1");

        assertThat(dns.a("signed.example")).isEqualTo(new DnsResult.Answer<>(java.util.List.of(address), false));
        server.authenticated();
        assertThat(dns.a("signed.example")).isEqualTo(new DnsResult.Answer<>(java.util.List.of(address), true));
        assertThat(dns.a("alias.example")).isEqualTo(new DnsResult.Answer<>(java.util.List.of(address), true));
    }

    /** A chain asked in several queries is authenticated only if every response was (RFC 7672 §2.2.2). */
    @Test
    void aChainIsAuthenticatedOnlyIfEveryResponseOfItWas() throws Exception {
        server.withoutChasingCnames().authenticated()
                .add("signed.example", "A", "192.0.2.1").add("alias.example", "CNAME", "signed.example.")
                .add("insecure.example", "A", "192.0.2.2").add("alias2.example", "CNAME", "insecure.example.");
        InetAddress first = InetAddress.getByName("192.0.2.1");
        InetAddress second = InetAddress.getByName("192.0.2.2");

        assertThat(dns.a("alias.example")).isEqualTo(new DnsResult.Answer<>(java.util.List.of(first), true));
        server.insecure("alias.example").insecure("insecure.example");
        assertThat(dns.a("alias.example")).isEqualTo(new DnsResult.Answer<>(java.util.List.of(first), false));
        assertThat(dns.a("alias2.example")).isEqualTo(new DnsResult.Answer<>(java.util.List.of(second), false));
    }

    @Test
    void aChainEndingInANameThatDoesNotExistIsNxdomain() {
        server.add("dangling.example", "CNAME", "gone.example.").add("empty.example", "CNAME", "exists.example.")
                .add("exists.example", "A", "192.0.2.1");

        assertThat(dns.a("dangling.example")).isInstanceOf(DnsResult.NxDomain.class);
        assertThat(dns.txt("empty.example")).isInstanceOf(DnsResult.NoData.class);
    }
}
