package dev.tern.policy.screen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.DnsblSite;
import dev.tern.config.ScreenSettings;
import dev.tern.dns.DnsjavaResolver;
import dev.tern.dns.ResolverSettings;
import dev.tern.mail.Address;
import dev.tern.mail.IpNetwork;
import dev.tern.policy.Verdict;
import dev.tern.testdns.TestDnsServer;
import dev.tern.testlog.MailLogCapture;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The screen's decisions over a real loopback DNS server serving test lists: listed, not listed, allow-listed,
 * IPv6, a list that never answers, one that answers outside 127.0.0.0/8, and right-hand-side lists.
 */
class ScreeningTest {

    static TestDnsServer dns;
    static DnsjavaResolver resolver;

    @TempDir
    Path data;

    @BeforeAll
    static void zones() throws Exception {
        dns = TestDnsServer.start();
        // 192.0.2.1: listed by zen.test (127.0.0.4, weight 3) and by other.test (weight 1)
        dns.add("1.2.0.192.zen.test", "A", "127.0.0.4");
        dns.add("1.2.0.192.other.test", "A", "127.0.0.2");
        // 192.0.2.2: zen.test answers 127.0.0.1, outside its filter [2..11]
        dns.add("2.2.0.192.zen.test", "A", "127.0.0.1");
        // 192.0.2.3: on the allow list
        dns.add("3.2.0.192.dnswl.test", "A", "127.0.10.2");
        // 192.0.2.4: the slow list never answers; zen.test lists it with weight 3
        dns.timeout("4.2.0.192.slow.test");
        dns.servfail("4.2.0.192.failing.test");
        dns.add("4.2.0.192.zen.test", "A", "127.0.0.2");
        // 192.0.2.5: the broken list answers with an address that is not 127/8
        dns.add("5.2.0.192.broken.test", "A", "192.0.2.99");
        dns.add("5.2.0.192.zen.test", "A", "127.0.0.2");
        dns.add("5.2.0.192.zen.test", "A", "198.51.100.1");
        // 2001:db8::1 (nibbles, RFC 5782 §2.4)
        dns.add("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.test", "A", "127.0.0.3");
        // right-hand-side lists
        dns.add("bad.example.dbl.test", "A", "127.0.1.2");
        dns.add("spam.example.dbl.test", "A", "127.0.1.2");
        resolver = new DnsjavaResolver(ResolverSettings.of(dns.address(), Duration.ofMillis(300), 0));
    }

    @AfterAll
    static void stop() {
        dns.close();
    }

    private static List<DnsblSite> sites(String... texts) {
        return Stream.of(texts).map(t -> DnsblSite.parse(t, true)).toList();
    }

    private static ScreenSettings lists(String... sites) {
        return ScreenSettings.defaults().withDnsbl(sites(sites), 3, -1, Duration.ofSeconds(5));
    }

    private Screen screen(ScreenSettings settings) throws Exception {
        return Screen.open(settings, resolver, data, "mx.tern.test", Clock.systemUTC());
    }

    private static Outcome screenClient(Screen screen, String client, FakeGreeting greeting) throws Exception {
        return screen.begin(InetAddress.getByName(client)).beforeGreeting(greeting);
    }

    @Test
    void aListedClientIsRefusedNamingTheHeaviestList() throws Exception {
        try (Screen screen = screen(lists("other.test", "zen.test=127.0.0.[2..11]*3"));
             MailLogCapture log = new MailLogCapture()) {
            Outcome outcome = screenClient(screen, "192.0.2.1", new FakeGreeting());
            assertThat(outcome.refused()).isTrue();
            assertThat(outcome.close()).isFalse();
            assertThat(outcome.verdict()).isEqualTo(Verdict.permanent(554, "5.7.1",
                    "Service unavailable; client [192.0.2.1] blocked using zen.test"));
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith(
                    "rejected client=192.0.2.1 stage=CONNECT screen=dnsbl list=zen.test score=4 reply="));
        }
    }

    @Test
    void anAnswerOutsideTheFilterOrAnUnlistedClientPasses() throws Exception {
        try (Screen screen = screen(lists("zen.test=127.0.0.[2..11]*3"));
             MailLogCapture log = new MailLogCapture()) {
            assertThat(screenClient(screen, "192.0.2.2", new FakeGreeting()).refused()).isFalse();
            Outcome clean = screenClient(screen, "192.0.2.200", new FakeGreeting());
            assertThat(clean.refused()).isFalse();
            assertThat(clean.vouchedBy()).isNull();
            assertThat(log.lines()).contains("screen client=192.0.2.200 screen=pass score=0");
        }
    }

    @Test
    void anIpv6ClientIsLookedUpByItsNibbles() throws Exception {
        assertThat(DnsLists.reversed(InetAddress.getByName("192.0.2.1"))).isEqualTo("1.2.0.192");
        try (Screen screen = screen(lists("zen.test*3"))) {
            Outcome outcome = screenClient(screen, "2001:db8::1", new FakeGreeting());
            assertThat(outcome.verdict().text()).isEqualTo(
                    "Service unavailable; client [2001:db8:0:0:0:0:0:1] blocked using zen.test");
        }
    }

    @Test
    void anAllowListVouchesAndSkipsTheRestOfThePause() throws Exception {
        ScreenSettings settings = lists("zen.test*3", "dnswl.test=127.0.[0..255].[1..3]*-5")
                .withPregreet(Duration.ofSeconds(20), "ESMTP Tern");
        try (Screen screen = screen(settings)) {
            FakeGreeting greeting = new FakeGreeting("EHLO early\r\n");
            Outcome outcome = screenClient(screen, "192.0.2.3", greeting);
            assertThat(outcome.refused()).isFalse();
            assertThat(outcome.vouchedBy()).isEqualTo("dnswl:dnswl.test");
            assertThat(greeting.continuations).containsExactly("mx.tern.test ESMTP Tern");
            assertThat(greeting.pendingCalls).as("the pause ended before its end was checked").isZero();
        }
    }

    @Test
    void aListThatNeverAnswersOrFailsCountsZeroAndIsLoggedOnce() throws Exception {
        ScreenSettings settings = ScreenSettings.defaults()
                .withDnsbl(sites("slow.test*3", "failing.test*3", "zen.test=127.0.0.2*2"), 3, 0, Duration.ofSeconds(5));
        try (Screen screen = screen(settings); MailLogCapture log = new MailLogCapture()) {
            Outcome outcome = screenClient(screen, "192.0.2.4", new FakeGreeting());
            assertThat(outcome.refused()).isFalse();
            assertThat(log.lines()).filteredOn(line -> line.startsWith("dnsbl ")).hasSize(2)
                    .anySatisfy(line -> assertThat(line).startsWith(
                            "dnsbl client=192.0.2.4 name=192.0.2.4 list=slow.test problem=temporary"))
                    .anySatisfy(line -> assertThat(line).startsWith(
                            "dnsbl client=192.0.2.4 name=192.0.2.4 list=failing.test problem=temporary"));
            assertThat(log.lines()).contains("screen client=192.0.2.4 screen=pass lists=zen.test score=2");
        }
    }

    @Test
    void theDeadlineCutsAListThatIsStillWaiting() throws Exception {
        DnsjavaResolver patient = new DnsjavaResolver(ResolverSettings.of(dns.address(), Duration.ofSeconds(30), 0));
        ScreenSettings settings = ScreenSettings.defaults()
                .withDnsbl(sites("slow.test*3"), 3, 0, Duration.ofMillis(200));
        try (Screen screen = Screen.open(settings, patient, data, "mx.tern.test", Clock.systemUTC());
             MailLogCapture log = new MailLogCapture()) {
            assertThat(screenClient(screen, "192.0.2.4", new FakeGreeting()).refused()).isFalse();
            assertThat(log.lines()).anySatisfy(line -> assertThat(line)
                    .startsWith("dnsbl client=192.0.2.4 name=192.0.2.4 list=slow.test problem=temporary reason=timeout"));
        }
    }

    @Test
    void anAnswerOutside127IsIgnoredAndLogged() throws Exception {
        try (Screen screen = screen(lists("broken.test*3", "zen.test*3")); MailLogCapture log = new MailLogCapture()) {
            Outcome outcome = screenClient(screen, "192.0.2.5", new FakeGreeting());
            assertThat(outcome.refused()).isFalse();
            assertThat(log.lines()).contains(
                    "dnsbl client=192.0.2.5 name=192.0.2.5 list=broken.test problem=malformed"
                            + " reason=\"answer 192.0.2.99 outside 127.0.0.0/8\"",
                    "dnsbl client=192.0.2.5 name=192.0.2.5 list=zen.test problem=malformed"
                            + " reason=\"answer 198.51.100.1 outside 127.0.0.0/8\"");
        }
    }

    @Test
    void networkListsDenyAndAllowTheMoreSpecificWinning() throws Exception {
        ScreenSettings settings = lists("zen.test*3").withNetworks(
                List.of(IpNetwork.parse("192.0.2.1/32"), IpNetwork.parse("2001:db8::/32")),
                List.of(IpNetwork.parse("192.0.2.0/24")));
        try (Screen screen = screen(settings); MailLogCapture log = new MailLogCapture()) {
            int before = dns.udpQueries();
            Outcome allowed = screenClient(screen, "192.0.2.1", new FakeGreeting());
            assertThat(allowed.refused()).isFalse();
            assertThat(allowed.vouchedBy()).isEqualTo("allowlist");
            assertThat(screenClient(screen, "2001:db8::1", new FakeGreeting()).vouchedBy()).isEqualTo("allowlist");
            assertThat(dns.udpQueries()).as("an allowed client is not looked up").isEqualTo(before);
            Outcome denied = screenClient(screen, "192.0.2.9", new FakeGreeting());
            assertThat(denied.verdict()).isEqualTo(Verdict.permanent(554, "5.7.1",
                    "Service unavailable; client [192.0.2.9] is not permitted"));
            assertThat(denied.close()).isFalse();
            assertThat(log.lines()).contains("screen client=192.0.2.1 screen=allow");
            assertThat(log.lines()).anySatisfy(line -> assertThat(line)
                    .startsWith("rejected client=192.0.2.9 stage=CONNECT screen=deny reply="));
        }
    }

    @Test
    void anEarlyTalkerIsRefusedAndClosedAndWhatItSaidIsLoggedQuoted() throws Exception {
        ScreenSettings settings = ScreenSettings.defaults().withPregreet(Duration.ofMillis(100), "ESMTP Tern");
        try (Screen screen = screen(settings); MailLogCapture log = new MailLogCapture()) {
            FakeGreeting greeting = new FakeGreeting("EHLO bot\r\nMAIL FROM:<x@y> " + "A".repeat(200));
            Outcome outcome = screenClient(screen, "192.0.2.7", greeting);
            assertThat(outcome.close()).isTrue();
            assertThat(outcome.verdict()).isEqualTo(Verdict.permanent(554, "5.7.1",
                    "Service unavailable; client [192.0.2.7] talked before the greeting"));
            assertThat(greeting.continuations).containsExactly("mx.tern.test ESMTP Tern");
            String sent = "\"EHLO bot\\x0d\\x0aMAIL FROM:<x@y> " + "A".repeat(100 - 26) + "\"";
            assertThat(log.lines()).contains("rejected client=192.0.2.7 stage=CONNECT screen=early-talker sent="
                    + sent + " reply=\"554 5.7.1 Service unavailable; client [192.0.2.7] talked before the greeting\"");
            assertThat(screen.passed.contains("192.0.2.7")).isFalse();
        }
    }

    @Test
    void aClientThatWaitedIsRememberedAndSkipsThePauseNextTime() throws Exception {
        ScreenSettings settings = ScreenSettings.defaults().withPregreet(Duration.ofMillis(100), "");
        try (Screen screen = screen(settings); MailLogCapture log = new MailLogCapture()) {
            FakeGreeting first = new FakeGreeting();
            assertThat(screenClient(screen, "192.0.2.8", first).refused()).isFalse();
            assertThat(first.pendingCalls).isEqualTo(1);
            assertThat(first.continuations).as("an empty banner sends no 220- line").isEmpty();
            FakeGreeting again = new FakeGreeting("QUIT\r\n");
            assertThat(screenClient(screen, "192.0.2.8", again).refused()).isFalse();
            assertThat(again.pendingCalls).isZero();
            assertThat(log.lines()).containsSubsequence("screen client=192.0.2.8 screen=pass",
                    "screen client=192.0.2.8 screen=cached");
        }
        try (Screen restarted = screen(settings)) {
            assertThat(restarted.passed.contains("192.0.2.8")).as("kept in the data directory").isTrue();
        }
    }

    @Test
    void rightHandSideListsRefuseAtRcptNamingTheList() throws Exception {
        ScreenSettings settings = ScreenSettings.defaults().withRhsbl(
                List.of(DnsblSite.parse("dbl.test=127.0.1.[2..99]", false)),
                List.of(DnsblSite.parse("dbl.test", false)));
        Address to = Address.parseMailbox("bob@localhost", false);
        try (Screen screen = screen(settings); MailLogCapture log = new MailLogCapture()) {
            Screening screening = screen.begin(InetAddress.getByName("192.0.2.10"));
            assertThat(screening.beforeGreeting(new FakeGreeting()).refused()).isFalse();
            assertThat(screening.atRcpt("Bad.Example", Address.parseMailbox("a@good.example", false), to))
                    .isEqualTo(Verdict.permanent(554, "5.7.1",
                            "Service unavailable; Helo command [bad.example] blocked using dbl.test"));
            assertThat(screening.atRcpt("good.example", Address.parseMailbox("a@spam.example", false), to))
                    .isEqualTo(Verdict.permanent(554, "5.7.1",
                            "Service unavailable; Sender address [spam.example] blocked using dbl.test"));
            assertThat(screening.atRcpt("good.example", Address.parseMailbox("a@good.example", false), to))
                    .isEqualTo(Verdict.ACCEPT);
            assertThat(screening.atRcpt("[192.0.2.10]", Address.NULL, to)).isEqualTo(Verdict.ACCEPT);
            assertThat(log.lines()).contains("rejected client=192.0.2.10 stage=RCPT screen=rhsbl name=spam.example"
                    + " from=<a@spam.example> to=<bob@localhost>"
                    + " reply=\"554 5.7.1 Service unavailable; Sender address [spam.example] blocked using dbl.test\"");
        }
    }
}
