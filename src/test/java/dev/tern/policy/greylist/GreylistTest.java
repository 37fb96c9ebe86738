package dev.tern.policy.greylist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.GreylistSettings;
import dev.tern.mail.IpNetwork;
import dev.tern.policy.Verdict;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GreylistTest {

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock();
    private final List<String> spfAsked = new ArrayList<>();
    private GreylistSettings settings = GreylistSettings.defaults().on();
    private Greylist greylist;

    @AfterEach
    void close() throws Exception {
        if (greylist != null) {
            greylist.close();
        }
    }

    private Greylist open() throws Exception {
        if (greylist != null) {
            greylist.close();
        }
        greylist = Greylist.open(settings, dir, clock, (client, sender, helo) -> {
            spfAsked.add(sender);
            return sender.endsWith("@good.example");
        });
        return greylist;
    }

    private static Greylist.Request rcpt(String client, String sender, String recipient) {
        return new Greylist.Request(IpNetwork.parseAddress(client), "mx.sender.example", sender, recipient,
                false, false, null);
    }

    private static Verdict greylisted(long seconds) {
        return Verdict.temporary(450, "4.2.0", "Greylisted, please try again in " + seconds + " seconds");
    }

    @Test
    void aNewTripletIsDeferredAnEarlyRetryToldTheRestAndARetryAfterTheDelayPasses() throws Exception {
        open();
        assertThat(greylist.check(rcpt("192.0.2.10", "a@sender.example", "bob@localhost"))).isEqualTo(greylisted(300));
        clock.advance(Duration.ofSeconds(100));
        assertThat(greylist.check(rcpt("192.0.2.10", "a@sender.example", "bob@localhost"))).isEqualTo(greylisted(200));
        clock.advance(Duration.ofSeconds(200));
        // Another host of the same /24 retries: big senders do.
        assertThat(greylist.check(rcpt("192.0.2.77", "a@sender.example", "bob@localhost"))).isNull();
        assertThat(greylist.check(rcpt("192.0.2.10", "a@sender.example", "carol@localhost")))
                .as("another recipient is another triplet").isEqualTo(greylisted(300));
        assertThat(greylist.greylisted()).isEqualTo(3);
        assertThat(greylist.passed()).isEqualTo(1);
    }

    @Test
    void aPassedTripletIsKeptMaxAgeSinceLastSeen() throws Exception {
        open();
        Greylist.Request r = rcpt("192.0.2.10", "a@sender.example", "bob@localhost");
        greylist.check(r);
        clock.advance(Duration.ofMinutes(6));
        assertThat(greylist.check(r)).isNull();
        clock.advance(Duration.ofDays(30));
        assertThat(greylist.check(r)).isNull();
        clock.advance(Duration.ofDays(34));
        assertThat(greylist.check(r)).as("seen 34 days ago: kept").isNull();
        clock.advance(Duration.ofDays(36));
        assertThat(greylist.check(r)).as("not seen for 36 days: forgotten").isEqualTo(greylisted(300));
    }

    @Test
    void aTripletThatNeverRetriedWithinTheRetryWindowStartsAgain() throws Exception {
        open();
        Greylist.Request r = rcpt("192.0.2.10", "a@sender.example", "bob@localhost");
        greylist.check(r);
        clock.advance(Duration.ofDays(2).plusSeconds(1));
        assertThat(greylist.check(r)).isEqualTo(greylisted(300));
    }

    @Test
    void theNullSenderIsGreylistedByClientAndRecipient() throws Exception {
        open();
        assertThat(greylist.check(rcpt("192.0.2.10", "", "bob@localhost"))).isEqualTo(greylisted(300));
        clock.advance(Duration.ofMinutes(5));
        assertThat(greylist.check(rcpt("192.0.2.10", "", "bob@localhost"))).isNull();
        assertThat(greylist.check(rcpt("192.0.2.10", "", "carol@localhost"))).isEqualTo(greylisted(300));
    }

    @Test
    void aClientWhoseRetriesPassedFiveTimesIsAllowedOutright() throws Exception {
        open();
        for (int i = 0; i < 5; i++) {
            Greylist.Request r = rcpt("203.0.113.5", "list" + i + "@lists.example", "bob@localhost");
            assertThat(greylist.check(r)).isNotNull();
            clock.advance(Duration.ofMinutes(5));
            assertThat(greylist.check(r)).isNull();
        }
        assertThat(greylist.check(rcpt("203.0.113.9", "new@lists.example", "carol@localhost"))).isNull();
        assertThat(greylist.check(rcpt("198.51.100.1", "new@lists.example", "carol@localhost"))).isNotNull();
        assertThat(greylist.skipped()).isEqualTo(1);
    }

    @Test
    void skipsAuthenticatedTrustedVouchedAndSpfPassFromListedDomains() throws Exception {
        settings = new GreylistSettings(true, Duration.ofMinutes(5), Duration.ofDays(2), Duration.ofDays(35), 5,
                1000, List.of("good.example"), 24, 64);
        open();
        InetAddress client = IpNetwork.parseAddress("192.0.2.10");
        assertThat(greylist.check(new Greylist.Request(client, "h", "a@x.example", "b@localhost", true, false, null)))
                .isNull();
        assertThat(greylist.check(new Greylist.Request(client, "h", "a@x.example", "b@localhost", false, true, null)))
                .isNull();
        assertThat(greylist.check(new Greylist.Request(client, "h", "a@x.example", "b@localhost", false, false,
                "dnswl:list.dnswl.org"))).isNull();
        assertThat(greylist.check(rcpt("192.0.2.10", "a@good.example", "b@localhost"))).isNull();
        assertThat(greylist.check(rcpt("192.0.2.10", "a@mail.good.example", "b@localhost")))
                .as("SPF asked, does not pass").isNotNull();
        assertThat(greylist.check(rcpt("192.0.2.10", "a@notgood.example", "b@localhost"))).isNotNull();
        assertThat(spfAsked).containsExactly("a@good.example", "a@mail.good.example");
        assertThat(greylist.skipped()).isEqualTo(4);
    }

    @Test
    void ipv6ClientsAreGreylistedByTheirSlash64() throws Exception {
        open();
        greylist.check(rcpt("2001:db8:1:2::1", "a@sender.example", "bob@localhost"));
        clock.advance(Duration.ofMinutes(5));
        assertThat(greylist.check(rcpt("2001:db8:1:2:abcd::7", "a@sender.example", "bob@localhost"))).isNull();
        assertThat(greylist.check(rcpt("2001:db8:1:3::1", "a@sender.example", "bob@localhost"))).isNotNull();
    }

    @Test
    void theTripletsSurviveAReopenAndExpiredOnesArePrunedFromTheFile() throws Exception {
        open();
        Greylist.Request waiting = rcpt("192.0.2.10", "a@sender.example", "bob@localhost");
        Greylist.Request stale = rcpt("192.0.2.10", "old \"quoted\"@sender.example", "bob@localhost");
        greylist.check(stale);
        clock.advance(Duration.ofDays(1));
        greylist.check(waiting);
        clock.advance(Duration.ofDays(1).plusMinutes(1)); // stale: 2 days and a minute without a retry
        open();
        assertThat(greylist.size()).isEqualTo(1);
        assertThat(Files.readAllLines(dir.resolve(GreylistStore.FILE))).hasSize(1);
        assertThat(greylist.check(waiting)).as("the retry after restart passes").isNull();
    }

    @Test
    void aTornOrGarbledLineIsSkippedAndTheRestIsRead() throws Exception {
        open();
        Greylist.Request r = rcpt("192.0.2.10", "a@sender.example", "bob@localhost");
        greylist.check(r);
        greylist.close();
        greylist = null;
        Files.writeString(dir.resolve(GreylistStore.FILE), "T 12 nonsense\nC x\nT 1 2", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        open();
        clock.advance(Duration.ofMinutes(5));
        assertThat(greylist.check(r)).isNull();
    }

    @Test
    void theStoreIsBoundedForgettingTheLeastRecentlySeen() throws Exception {
        settings = new GreylistSettings(true, Duration.ofMinutes(5), Duration.ofDays(2), Duration.ofDays(35), 0,
                10, List.of(), 24, 64);
        open();
        Greylist.Request first = rcpt("192.0.2.10", "first@sender.example", "bob@localhost");
        greylist.check(first);
        for (int i = 0; i < 20; i++) {
            greylist.check(rcpt("192.0.2.10", "s" + i + "@sender.example", "bob@localhost"));
        }
        assertThat(greylist.size()).isEqualTo(10);
        clock.advance(Duration.ofMinutes(5));
        assertThat(greylist.check(first)).as("forgotten: deferred anew").isEqualTo(greylisted(300));
        open();
        assertThat(greylist.size()).isEqualTo(10);
    }
}
