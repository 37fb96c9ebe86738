package dev.tern.policy.spf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.dns.ResolverSettings;
import dev.tern.dns.DnsjavaResolver;
import dev.tern.testdns.TestDnsServer;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpfCheckerTest {

    private TestDnsServer server;
    private SpfChecker spf;

    @BeforeEach
    void start() throws Exception {
        server = TestDnsServer.start();
        DnsjavaResolver dns = new DnsjavaResolver(ResolverSettings.of(server.address(), Duration.ofMillis(500), 0));
        spf = new SpfChecker(dns, "mx.receiver.example", "not allowed", Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void mailFromPassesForAListedAddressAndFailsWithTheExplanationOtherwise() throws Exception {
        server.addTxt("example.com", "v=spf1 ip4:192.0.2.0/24 -all exp=why.example.com")
                .addTxt("why.example.com", "%{i} may not send for %{d}");

        SpfResult pass = spf.checkMailFrom(ip("192.0.2.9"), "alice@example.com", "client.example.net");
        SpfResult fail = spf.checkMailFrom(ip("198.51.100.1"), "alice@example.com", "client.example.net");

        assertThat(pass.outcome()).isEqualTo(SpfOutcome.PASS);
        assertThat(pass.explanation()).isEmpty();
        assertThat(fail.outcome()).isEqualTo(SpfOutcome.FAIL);
        assertThat(fail.explanation()).isEqualTo("198.51.100.1 may not send for example.com");
    }

    @Test
    void nullSenderIsCheckedAsPostmasterAtTheHeloName() throws Exception {
        server.addTxt("client.example.net", "v=spf1 a -all").add("client.example.net", "A", "192.0.2.20");

        SpfResult result = spf.checkMailFrom(ip("192.0.2.20"), "", "client.example.net");

        assertThat(result.outcome()).isEqualTo(SpfOutcome.PASS);
        assertThat(result.domain()).isEqualTo("client.example.net");
    }

    @Test
    void heloCheckUsesTheHeloDomainAndIgnoresAddressLiterals() throws Exception {
        server.addTxt("helo.example.net", "v=spf1 -all");

        assertThat(spf.checkHelo(ip("192.0.2.1"), "helo.example.net").outcome()).isEqualTo(SpfOutcome.FAIL);
        assertThat(spf.checkHelo(ip("192.0.2.1"), "[192.0.2.1]").outcome()).isEqualTo(SpfOutcome.NONE);
        assertThat(spf.checkHelo(ip("192.0.2.1"), "localhost").outcome()).isEqualTo(SpfOutcome.NONE);
    }

    @Test
    void noRecordIsNoneAndServfailIsTempError() throws Exception {
        server.add("norecord.example", "A", "192.0.2.1").servfail("broken.example");

        assertThat(spf.checkMailFrom(ip("192.0.2.1"), "a@norecord.example", "h.example").outcome())
                .isEqualTo(SpfOutcome.NONE);
        assertThat(spf.checkMailFrom(ip("192.0.2.1"), "a@nxdomain.example", "h.example").outcome())
                .isEqualTo(SpfOutcome.NONE);
        assertThat(spf.checkMailFrom(ip("192.0.2.1"), "a@broken.example", "h.example").outcome())
                .isEqualTo(SpfOutcome.TEMPERROR);
    }

    @Test
    void theEleventhDnsQueryingTermIsAPermError() throws Exception {
        StringBuilder record = new StringBuilder("v=spf1");
        for (int i = 1; i <= 11; i++) {
            record.append(" a:h").append(i).append(".example.org");
            server.add("h" + i + ".example.org", "A", "198.51.100." + i);
        }
        server.addTxt("many.example.org", record + " -all");

        assertThat(spf.checkMailFrom(ip("198.51.100.10"), "x@many.example.org", "h.example").outcome())
                .isEqualTo(SpfOutcome.PASS);
        assertThat(spf.checkMailFrom(ip("198.51.100.11"), "x@many.example.org", "h.example").outcome())
                .isEqualTo(SpfOutcome.PERMERROR);
    }

    @Test
    void theThirdVoidLookupIsAPermError() throws Exception {
        server.addTxt("void2.example", "v=spf1 a:n1.example a:n2.example -all")
                .addTxt("void3.example", "v=spf1 a:n1.example a:n2.example a:n3.example -all");

        assertThat(spf.checkMailFrom(ip("192.0.2.1"), "x@void2.example", "h.example").outcome())
                .isEqualTo(SpfOutcome.FAIL);
        assertThat(spf.checkMailFrom(ip("192.0.2.1"), "x@void3.example", "h.example").outcome())
                .isEqualTo(SpfOutcome.PERMERROR);
    }

    @Test
    void includeAndRedirectFollowTheRfcTable() throws Exception {
        server.addTxt("inc.example", "v=spf1 include:partner.example ~all")
                .addTxt("partner.example", "v=spf1 ip6:2001:db8::/32 -all")
                .addTxt("redir.example", "v=spf1 redirect=partner.example");

        assertThat(spf.checkMailFrom(ip("2001:db8::5"), "x@inc.example", "h.example").outcome())
                .isEqualTo(SpfOutcome.PASS);
        assertThat(spf.checkMailFrom(ip("2001:db9::5"), "x@inc.example", "h.example").outcome())
                .isEqualTo(SpfOutcome.SOFTFAIL);
        assertThat(spf.checkMailFrom(ip("2001:db9::5"), "x@redir.example", "h.example").outcome())
                .isEqualTo(SpfOutcome.FAIL);
    }
}
