package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.testsmtp.StartTlsProxy;
import jakarta.mail.Multipart;
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
 * REQUIRETLS and {@code TLS-Required: No} (RFC 8689) end to end, Tern to Tern ({@link StsNetwork}): alice submits
 * to A over STARTTLS with {@code MAIL FROM:<...> REQUIRETLS}; A passes the request on only to an MX host its
 * recipient domain authenticates (here by MTA-STS) over a verified certificate, to a server that offers
 * REQUIRETLS (B, under TLS), and bounces it otherwise; a message that asks for no TLS policy goes as the
 * configured {@code may} says, whatever the recipient domain publishes.
 */
class RequireTlsDeliveryIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<String> DOMAINS = List.of("rt-sts.test", "rt-plain.test", "rt-optional.test");

    @TempDir
    static Path dir;
    static StsNetwork net;
    private static final AtomicInteger RUNS = new AtomicInteger();
    private Outbound.MailLogLines log;

    @BeforeAll
    static void startNetwork() throws Exception {
        net = StsNetwork.start(dir, DOMAINS, List.of("mx.b.test"));
        net.mx("rt-sts.test", "mx.b.test", StsNetwork.WATCH)
                .publish("rt-sts.test", StsNetwork.policy("enforce", 86400, "mx.b.test"));
        net.mx("rt-plain.test", "mx.b.test", StsNetwork.WATCH);
        net.mx("rt-optional.test", "mx.rt-optional.test", StsNetwork.WATCH)
                .publish("rt-optional.test", StsNetwork.policy("enforce", 86400, "mx.rt-optional.test"));
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
    void requireTlsGoesToAnMtaStsHostOverVerifiedTlsAndIsPassedOn() throws Exception {
        String id = net.submit("bob@rt-sts.test", "Subject: case 8\r\n\r\nonly over verified TLS\r\n", true);

        assertThat(Outbound.awaitMail(net.b.config().dataDir(), "bob@rt-sts.test",
                m -> m.contains("Subject: case 8"), WAIT)).isPresent();
        assertThat(line(l -> l.startsWith(id + ": accepted "))).contains("requiretls=yes");
        assertThat(line(l -> l.startsWith(id + ": smtp-sent "))).contains("tls-policy=mta-sts ")
                .containsPattern("tls=TLSv1\\.[23]");
        // B's own line: the message arrived from A with the REQUIRETLS parameter (RFC 8689 §4.2.1).
        assertThat(line(l -> l.contains(": accepted ") && l.contains("helo=mx.a.test")))
                .contains("requiretls=yes").containsPattern("tls=TLSv1\\.[23]");
        assertThat(net.watch.connections()).isNotEmpty().allSatisfy(c ->
                assertThat(c.clearLines).containsExactly("EHLO mx.a.test", "STARTTLS"));
    }

    @Test
    void requireTlsToADomainWithoutMtaStsOrDaneBounces() throws Exception {
        String id = net.submit("bob@rt-plain.test", "Subject: case 9\r\n\r\nthe secret body\r\n", true);

        String bounce = Outbound.awaitMail(net.dataA, "alice@a.test", m -> m.contains("multipart/report"), WAIT)
                .orElseThrow(() -> new AssertionError("no bounce: " + log.lines()));
        Outbound.Dsn dsn = Outbound.parseDsn(bounce);
        assertThat(dsn.field(0, "Final-Recipient")).isEqualTo("rfc822; bob@rt-plain.test");
        assertThat(dsn.field(0, "Action")).isEqualTo("failed");
        assertThat(dsn.field(0, "Status")).isEqualTo("5.7.30");
        // RFC 8689 §5: the notice returns the headers only, whatever RET said.
        Multipart report = (Multipart) dsn.message().getContent();
        assertThat(report.getBodyPart(report.getCount() - 1).isMimeType("text/rfc822-headers")).isTrue();
        assertThat(dsn.returned()).contains("Subject: case 9").doesNotContain("the secret body");
        assertThat(line(l -> l.startsWith(id + ": failed "))).contains("status=5.7.30");
        assertThat(net.watch.accepted()).as("no server is contacted").isZero();
        assertThat(net.bobsMail("rt-plain.test")).isEmpty();
    }

    @Test
    void tlsRequiredNoIgnoresTheEnforcePolicyOfAHostWithABadCertificate() throws Exception {
        String optional = net.submit("bob@rt-optional.test",
                "Subject: case 10\r\nTLS-Required: No\r\n\r\nsecurity does not matter here\r\n", false);

        assertThat(Outbound.awaitMail(net.b.config().dataDir(), "bob@rt-optional.test",
                m -> m.contains("Subject: case 10"), WAIT)).isPresent();
        assertThat(line(l -> l.startsWith(optional + ": accepted "))).contains("tls-required=no");
        assertThat(line(l -> l.startsWith(optional + ": smtp-sent "))).contains("tls-policy=may ")
                .containsPattern("tls=TLSv1\\.[23]");

        // The same message without the header meets the policy: deferred, the certificate is not mx's.
        String required = net.submit("bob@rt-optional.test", "Subject: case 10b\r\n\r\nunder the policy\r\n", false);
        assertThat(line(l -> l.startsWith(required + ": smtp-tried "))).contains("tls-policy=mta-sts ")
                .contains("status=4.7.5");
        assertThat(net.bobsMail("rt-optional.test")).hasSize(1);
        assertThat(net.connections()).noneMatch(StartTlsProxy.Connection::mailInClear);
    }

    @Test
    void requireTlsWinsOverTlsRequiredNoAndWaitsForAVerifiedCertificate() throws Exception {
        String id = net.submit("bob@rt-optional.test",
                "Subject: case 10c\r\nTLS-Required: No\r\n\r\nboth asked\r\n", true);

        // RFC 8689 §4.1: with REQUIRETLS the header is ignored; the host's certificate is not its own, so the
        // message waits (4.7.5) rather than go unverified or bounce.
        assertThat(line(l -> l.startsWith(id + ": smtp-tried "))).contains("tls-policy=mta-sts ")
                .contains("status=4.7.5");
        assertThat(Outbound.await(() -> net.queueList().contains("deferred  <bob@rt-optional.test>  4.7.5"), WAIT))
                .as(net.queueList()).isTrue();
        assertThat(net.bobsMail("rt-optional.test")).isEmpty();
        assertThat(net.connections()).noneMatch(StartTlsProxy.Connection::mailInClear);
    }

    private String line(java.util.function.Predicate<String> matching) throws InterruptedException {
        return log.await(matching, WAIT).orElseThrow(() -> new AssertionError("no such line in " + log.lines()));
    }
}
