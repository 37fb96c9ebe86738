package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.testsmtp.StartTlsProxy;
import dev.tern.tlsrpt.TlsReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MTA-STS (RFC 8461) end to end, Tern to Tern ({@link StsNetwork}): the policy published in DNS and over HTTPS,
 * fetched and cached by A's courier, and each downgrade an attacker or an outage can bring about (a certificate
 * for another name, an MX record the policy does not name, STARTTLS stripped, DNS failing during a refresh, the
 * policy host gone) ends in the deferral §5 asks for, never in a plaintext delivery. Each case has a recipient
 * domain of its own and a fresh A, whose policy cache starts empty.
 */
class MtaStsDeliveryIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /**
     * A few seconds: RFC 8461 §3.2 allows 0, which would expire the policy before a retry could show it still
     * holding; this is long enough for A's one-second retries to meet the cached policy, short for the test.
     */
    private static final long SHORT_MAX_AGE = 5;
    private static final List<String> DOMAINS = List.of("enforce.test", "wrongname.test", "rogue.test",
            "stripped.test", "outage.test", "expiry.test", "testing.test", "fresh.test");

    @TempDir
    static Path dir;
    static StsNetwork net;
    private static final AtomicInteger RUNS = new AtomicInteger();
    private Outbound.MailLogLines log;

    @BeforeAll
    static void startNetwork() throws Exception {
        net = StsNetwork.start(dir, DOMAINS, List.of("mx.b.test", "mail.stripped.test"));
    }

    @AfterAll
    static void stopNetwork() {
        net.close();
    }

    @BeforeEach
    void startA() throws Exception {
        log = new Outbound.MailLogLines();
        net.beginCase(dir.resolve("a" + RUNS.incrementAndGet()));
    }

    @AfterEach
    void stopA() {
        net.endCase();
        log.close();
    }

    @Test
    void enforceWithAValidCertificateDelivers() throws Exception {
        net.mx("enforce.test", "mx.b.test", StsNetwork.WATCH)
                .publish("enforce.test", StsNetwork.policy("enforce", 86400, "mx.b.test"));

        String id = net.submit("bob@enforce.test", "Subject: case 1\r\n\r\nunder enforce\r\n", false);

        assertThat(Outbound.awaitMail(net.b.config().dataDir(), "bob@enforce.test",
                m -> m.contains("Subject: case 1"), WAIT)).isPresent();
        assertThat(line(id, "smtp-sent")).contains("relay=mx.b.test[127.0.0.2]")
                .containsPattern("tls=TLSv1\\.[23]").contains("tls-policy=mta-sts ");
        assertThat(log.lines()).anyMatch(l -> l.contains("mta-sts domain=enforce.test result=fetched")
                && l.contains("mode=enforce"));
        assertThat(net.tlsResults("enforce.test")).singleElement().satisfies(r -> {
            assertThat(r.policy().type()).isEqualTo("sts");
            assertThat(r.successes()).isEqualTo(1);
            assertThat(r.failures()).isZero();
        });
        assertOnlyStartTlsInClear();
    }

    @Test
    void enforceWithACertificateForAnotherNameDefers() throws Exception {
        net.mx("wrongname.test", "mx.wrongname.test", StsNetwork.WATCH)
                .publish("wrongname.test", StsNetwork.policy("enforce", 86400, "mx.wrongname.test"));

        String id = net.submit("bob@wrongname.test", "Subject: case 2\r\n\r\nnot for an impostor\r\n", false);

        awaitTries(id, 2); // the retry goes the same way: no plaintext fallback
        assertThat(line(id, "smtp-tried")).contains("relay=mx.wrongname.test[127.0.0.2]")
                .contains("tls-policy=mta-sts ").contains("status=4.7.5").contains("TLS with mx.wrongname.test");
        assertDeferred("bob@wrongname.test", "4.7.5 TLS with mx.wrongname.test");
        assertThat(failures("wrongname.test")).extracting(TlsReport.FailureDetail::resultType)
                .containsOnly("certificate-host-mismatch");
        assertThat(net.bobsMail("wrongname.test")).isEmpty();
        assertOnlyStartTlsInClear();
    }

    @Test
    void enforceLeavesOutAnMxHostThePolicyDoesNotName() throws Exception {
        net.mx("rogue.test", "mx.evil.test", StsNetwork.ROGUE)
                .publish("rogue.test", StsNetwork.policy("enforce", 86400, "mx.b.test"));

        String id = net.submit("bob@rogue.test", "Subject: case 3\r\n\r\nnot for the rogue MX\r\n", false);

        awaitTries(id, 1);
        assertThat(line(id, "smtp-tried")).contains("tls-policy=mta-sts ").contains("status=4.7.5")
                .contains("mx.evil.test is not an MX host that the MTA-STS policy of rogue.test allows");
        assertDeferred("bob@rogue.test", "4.7.5 mx.evil.test is not an MX host");
        assertThat(net.rogue.accepted()).as("the host the policy does not name is never contacted").isZero();
        assertThat(net.bobsMail("rogue.test")).isEmpty();
    }

    @Test
    void enforceWithStartTlsStrippedDefersAndDeliversOnceTheAttackStops() throws Exception {
        net.mx("stripped.test", "mail.stripped.test", StsNetwork.STRIP)
                .publish("stripped.test", StsNetwork.policy("enforce", 86400, "mail.stripped.test"));

        String id = net.submit("bob@stripped.test", "Subject: case 4\r\n\r\nno downgrade\r\n", false);

        awaitTries(id, 2);
        assertThat(line(id, "smtp-tried")).contains("tls-policy=mta-sts ").contains("status=4.7.5")
                .contains("does not offer STARTTLS");
        assertDeferred("bob@stripped.test", "4.7.5 TLS required but not available");
        assertThat(failures("stripped.test")).extracting(TlsReport.FailureDetail::resultType)
                .containsOnly("starttls-not-supported");
        assertThat(net.bobsMail("stripped.test")).isEmpty();
        assertThat(net.strip.connections()).isNotEmpty().allSatisfy(c -> {
            assertThat(c.mailInClear()).as(c.clearLines.toString()).isFalse();
            assertThat(c.clearLines).noneMatch(l -> l.equalsIgnoreCase("STARTTLS"));
        });

        net.strip.stripStartTls = false; // the attacker leaves: the queued message goes, over verified TLS
        try {
            assertThat(Outbound.awaitMail(net.b.config().dataDir(), "bob@stripped.test",
                    m -> m.contains("Subject: case 4"), WAIT)).isPresent();
            assertThat(line(id, "smtp-sent")).contains("tls-policy=mta-sts ").containsPattern("tls=TLSv1\\.[23]");
        } finally {
            net.strip.stripStartTls = true;
        }
    }

    @Test
    void aCachedEnforcePolicyOutlivesDnsFailuresThePolicyHostGoingAndARestart() throws Exception {
        net.mx("outage.test", "mx.b.test", StsNetwork.WATCH)
                .publish("outage.test", StsNetwork.policy("enforce", 86400, "mx.b.test", "mx.outage.test"));
        String first = net.submit("bob@outage.test", "Subject: case 5a\r\n\r\nbefore the outage\r\n", false);
        assertThat(Outbound.awaitMail(net.b.config().dataDir(), "bob@outage.test",
                m -> m.contains("Subject: case 5a"), WAIT)).isPresent();
        assertThat(line(first, "smtp-sent")).contains("tls-policy=mta-sts ");

        // The record's lookup fails, the policy host is gone, and the MX names a host whose certificate is not
        // its own: without the cached policy this would go under "may".
        net.dns.servfail("_mta-sts.outage.test");
        net.stopWeb();
        net.mx("outage.test", "mx.outage.test", StsNetwork.WATCH);
        String second = net.submit("bob@outage.test", "Subject: case 5b\r\n\r\nduring the outage\r\n", false);
        awaitTries(second, 1);
        assertThat(line(second, "smtp-tried")).contains("tls-policy=mta-sts ").contains("status=4.7.5")
                .contains("TLS with mx.outage.test");
        assertThat(log.lines()).anyMatch(l -> l.contains("mta-sts domain=outage.test result=cached-kept")
                && l.contains("SERVFAIL"));

        // RFC 8461 §5.1: the policy is kept until it expires, across a restart too (the cache on disk).
        net.stopA();
        int before = lines(second, "smtp-tried").size();
        long keptBefore = log.lines().stream().filter(l -> l.contains("domain=outage.test result=cached-kept")).count();
        net.startAgain();
        awaitTries(second, before + 1);
        assertThat(line(second, "smtp-tried")).contains("tls-policy=mta-sts ").contains("status=4.7.5");
        assertThat(log.lines().stream().filter(l -> l.contains("domain=outage.test result=cached-kept")).count())
                .isGreaterThan(keptBefore);

        // A new id while the policy host is down: the fetch fails, the cached policy stays in force.
        net.republish("outage.test");
        awaitTries(second, before + 2);
        assertThat(line(second, "smtp-tried")).contains("tls-policy=mta-sts ").contains("status=4.7.5");
        assertThat(log.lines()).anyMatch(l -> l.contains("mta-sts domain=outage.test result=sts-policy-fetch-error")
                && l.contains("using=cached"));
        assertDeferred("bob@outage.test", "4.7.5 TLS with mx.outage.test");
        assertThat(net.bobsMail("outage.test")).hasSize(1);
        assertThat(net.connections()).noneMatch(StartTlsProxy.Connection::mailInClear);
    }

    @Test
    void anExpiredPolicyNoLongerAppliesOnceItsRecordAndHostAreGone() throws Exception {
        net.mx("expiry.test", "mx.expiry.test", StsNetwork.WATCH)
                .publish("expiry.test", StsNetwork.policy("enforce", SHORT_MAX_AGE, "mx.expiry.test"));
        String id = net.submit("bob@expiry.test", "Subject: case 6\r\n\r\nafter the policy\r\n", false);
        awaitTries(id, 1);
        assertThat(line(id, "smtp-tried")).contains("tls-policy=mta-sts ").contains("status=4.7.5");

        net.dns.remove("_mta-sts.expiry.test");
        net.stopWeb();

        // Until max_age has passed the cached policy holds; then it is dropped (RFC 8461 §5.1) and, with no
        // record left, the domain has no policy: the configured "may".
        assertThat(Outbound.awaitMail(net.b.config().dataDir(), "bob@expiry.test",
                m -> m.contains("Subject: case 6"), WAIT)).isPresent();
        assertThat(line(id, "smtp-sent")).contains("tls-policy=may ").containsPattern("tls=TLSv1\\.[23]");
        assertThat(lines(id, "smtp-tried")).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(l -> assertThat(l).contains("tls-policy=mta-sts "));
        assertThat(log.lines()).anyMatch(l -> l.contains("mta-sts domain=expiry.test result=cached-kept"))
                .anyMatch(l -> l.contains("mta-sts domain=expiry.test result=expired"));
        assertOnlyStartTlsInClear();
    }

    @Test
    void testingDeliversDespiteABadCertificateAndReportsIt() throws Exception {
        net.mx("testing.test", "mx.testing.test", StsNetwork.WATCH)
                .publish("testing.test", StsNetwork.policy("testing", 86400, "mx.testing.test"));

        String id = net.submit("bob@testing.test", "Subject: case 7\r\n\r\nunder testing\r\n", false);

        assertThat(Outbound.awaitMail(net.b.config().dataDir(), "bob@testing.test",
                m -> m.contains("Subject: case 7"), WAIT)).isPresent();
        assertThat(line(id, "smtp-sent")).contains("tls-policy=mta-sts-testing ")
                .containsPattern("tls=TLSv1\\.[23]");
        assertThat(net.tlsResults("testing.test")).singleElement().satisfies(r -> {
            assertThat(r.policy().type()).isEqualTo("sts");
            assertThat(r.policy().strings()).contains("mode: testing");
            assertThat(r.successes()).isZero();
            assertThat(r.failures()).isEqualTo(1);
            assertThat(r.details()).singleElement().satisfies(d -> {
                assertThat(d.resultType()).isEqualTo("certificate-host-mismatch");
                assertThat(d.receivingMx()).isEqualTo("mx.testing.test");
            });
        });
        assertOnlyStartTlsInClear();
    }

    @Test
    void aPolicyFoundWhileAConnectionIsIdleAppliesToTheNextMessage() throws Exception {
        net.stopA();
        net.startA(dir.resolve("a" + RUNS.incrementAndGet()), "30s"); // idle connections are kept for reuse
        net.mx("fresh.test", "mx.fresh.test", StsNetwork.WATCH);
        String before = net.submit("bob@fresh.test", "Subject: case 8a\r\n\r\nno policy yet\r\n", false);
        assertThat(Outbound.awaitMail(net.b.config().dataDir(), "bob@fresh.test",
                m -> m.contains("Subject: case 8a"), WAIT)).isPresent();
        assertThat(line(before, "smtp-sent")).contains("tls-policy=may ");

        // The domain publishes an enforce policy naming its MX host, whose certificate is not its own: the
        // session opened under "may", idle now, must not carry the next message (RFC 8461 §5).
        net.publish("fresh.test", StsNetwork.policy("enforce", 86400, "mx.fresh.test"));
        String after = net.submit("bob@fresh.test", "Subject: case 8b\r\n\r\nunder the policy\r\n", false);

        awaitTries(after, 1);
        assertThat(line(after, "smtp-tried")).contains("tls-policy=mta-sts ").contains("status=4.7.5");
        assertThat(lines(after, "smtp-sent")).isEmpty();
        assertThat(net.bobsMail("fresh.test")).hasSize(1);
    }

    /** Lines of this message's mail-log event, in order. */
    private List<String> lines(String id, String event) {
        return log.lines().stream().filter(l -> l.startsWith(id + ": " + event + " ")).toList();
    }

    /** The last line of this message's event, waiting for the first. */
    private String line(String id, String event) throws InterruptedException {
        log.await(l -> l.startsWith(id + ": " + event + " "), WAIT).orElseThrow(
                () -> new AssertionError("no " + event + " for " + id + " in " + log.lines()));
        return lines(id, event).getLast();
    }

    private void awaitTries(String id, int count) throws InterruptedException {
        assertThat(Outbound.await(() -> lines(id, "smtp-tried").size() >= count, WAIT))
                .as("%d attempts of %s: %s", count, id, log.lines()).isTrue();
    }

    private void assertDeferred(String recipient, String reason) throws InterruptedException {
        assertThat(Outbound.await(() -> net.queueList().contains("deferred  <" + recipient + ">  " + reason),
                WAIT)).as(net.queueList()).isTrue();
    }

    private List<TlsReport.FailureDetail> failures(String domain) {
        return net.tlsResults(domain).stream().filter(r -> r.policy().type().equals("sts"))
                .flatMap(r -> r.details().stream()).toList();
    }

    /** Every session through the honest path began TLS after EHLO and said nothing else in clear text. */
    private static void assertOnlyStartTlsInClear() {
        List<StartTlsProxy.Connection> seen = net.watch.connections();
        assertThat(seen).isNotEmpty().allSatisfy(c -> {
            assertThat(c.tls).isTrue();
            assertThat(c.clearLines).containsExactly("EHLO mx.a.test", "STARTTLS");
        });
        assertThat(net.connections()).noneMatch(StartTlsProxy.Connection::mailInClear);
    }
}
