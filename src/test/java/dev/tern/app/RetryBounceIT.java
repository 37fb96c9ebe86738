package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.QueueSettings;
import dev.tern.config.TernConfig;
import dev.tern.store.FileDirectory;
import dev.tern.testdns.TestDnsServer;
import dev.tern.testsmtp.PeerServer;
import jakarta.mail.internet.InternetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retries and bounces of a running Tern toward scripted remote servers and a DNS server on loopback. Each
 * scripted server is reached by a {@code [[delivery.route]]} whose host is a name only the test DNS server
 * knows, so every delivery also shows that a route's host is resolved through the configured DNS servers.
 * Bounces go to the local sender, alice@a.test, and are read back with Jakarta Mail.
 */
class RetryBounceIT {

    /** Short enough that the hanging server's message expires within the test. */
    private static final Duration LIFETIME = Duration.ofSeconds(6);

    @TempDir
    static Path dir;
    static TestDnsServer dns;
    static PeerServer retrying;
    static PeerServer rejecting;
    static PeerServer hanging;
    static Tern tern;
    static Outbound.MailLogLines log;

    @BeforeAll
    static void start() throws Exception {
        log = new Outbound.MailLogLines();
        dns = TestDnsServer.start();
        retrying = PeerServer.start().thenRcpt("451 4.3.0 not now, try again later");
        rejecting = PeerServer.start();
        rejecting.rcptReply = "550 5.1.1 <bob@reject.test>: no such user here";
        hanging = PeerServer.start();
        hanging.silent = true;
        for (String peer : List.of("retry", "reject", "hang")) {
            dns.add(peer + "-peer.route.test", "A", "127.0.0.1");
        }
        dns.add("nullmx.test", "MX", "0 .");
        dns.servfail("servfail.test");
        // nx.test is in no zone: NXDOMAIN

        Path data = dir.resolve("data");
        TernConfig config = Outbound.load(dir, """
                hostname = "mx.a.test"
                domains = ["a.test"]
                [[listener]]
                name = "mx"
                role = "mx"
                address = "127.0.0.1"
                port = 0
                [relay]
                trusted_networks = ["127.0.0.1/32"]
                [queue]
                retry_initial = "1s"
                retry_max = "1s"
                [delivery]
                connect_timeout = "1s"
                command_timeout = "1s"
                data_done_timeout = "2s"
                %s
                [dns]
                servers = ["127.0.0.1:%d"]
                timeout = "2s"
                retries = 1
                """.formatted(route("retry", retrying) + route("reject", rejecting) + route("hang", hanging),
                dns.port()), data);
        // The file's lifetime is at least a minute; the record takes the test's few seconds.
        QueueSettings q = config.queue();
        config = config.withQueue(new QueueSettings(q.retryInitial(), q.retryMax(), LIFETIME));
        FileDirectory users = new FileDirectory(data, config.domains());
        users.addUser("alice@a.test", "unused");
        users.addUser("carol@a.test", "unused");
        tern = Tern.start(config);
    }

    private static String route(String name, PeerServer peer) {
        return """
                [[delivery.route]]
                domain = "%s.test"
                host = "%s-peer.route.test"
                port = %d
                """.formatted(name, name, peer.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (tern != null) {
            tern.close();
        }
        for (PeerServer p : new PeerServer[] {retrying, rejecting, hanging}) {
            p.close();
        }
        dns.close();
        log.close();
    }

    /** Sends from alice@a.test (relayed: 127.0.0.1 is a trusted network); returns the queue id. */
    private static String send(String to, String subject) throws Exception {
        try (SmtpTestClient client = new SmtpTestClient(tern.port("mx"))) {
            client.reply();
            client.command("EHLO client.a.test");
            String reply = client.sendMessage("alice@a.test", to, "From: alice@a.test\r\nTo: " + to
                    + "\r\nSubject: " + subject + "\r\n\r\nHello.\r\n");
            assertThat(reply).startsWith("250 ");
            client.command("QUIT");
            return reply.replaceAll(".*queued as (\\S+).*", "$1");
        }
    }

    /** Sends one message from alice@a.test to several recipients, each of which must be accepted. */
    private static void sendToAll(String subject, String... to) throws Exception {
        try (SmtpTestClient client = new SmtpTestClient(tern.port("mx"))) {
            client.reply();
            client.command("EHLO client.a.test");
            assertThat(client.command("MAIL FROM:<alice@a.test>")).startsWith("250 ");
            for (String rcpt : to) {
                assertThat(client.command("RCPT TO:<" + rcpt + ">")).startsWith("250 ");
            }
            assertThat(client.command("DATA")).startsWith("354 ");
            client.send("From: alice@a.test\r\nSubject: " + subject + "\r\n\r\nHello all.\r\n.\r\n");
            assertThat(client.reply()).startsWith("250 ");
            client.command("QUIT");
        }
    }

    /** The bounce for {@code recipient} in alice's mailbox. */
    private static Outbound.Dsn bounceFor(String recipient, Duration timeout) throws Exception {
        String stored = Outbound.awaitMail(tern.config().dataDir(), "alice@a.test",
                m -> m.contains("Final-Recipient: rfc822; " + recipient + "\r\n"), timeout)
                .orElseThrow(() -> new AssertionError("no bounce for " + recipient));
        return Outbound.parseDsn(stored);
    }

    @Test
    void aTemporaryRefusalIsRetriedAndDelivered() throws Exception {
        String id = send("bob@retry.test", "second time lucky");

        List<String> accepted = retrying.awaitAccepted(1, Duration.ofSeconds(15));
        assertThat(accepted).hasSize(1);
        assertThat(accepted.get(0)).contains("Subject: second time lucky\r\n");
        assertThat(retrying.rcptCommands()).isEqualTo(2);
        assertThat(log.await(l -> l.startsWith(id + ": deferred to=<bob@retry.test>"), Duration.ofSeconds(1)))
                .hasValueSatisfying(l -> assertThat(l).contains("status=4.3.0").contains("attempts=1")
                        .contains("451 4.3.0 not now"));
        assertThat(log.await(l -> l.startsWith(id + ": delivered to=<bob@retry.test>"), Duration.ofSeconds(5)))
                .hasValueSatisfying(l -> assertThat(l).contains("attempts=2")
                        .contains("where=retry-peer.route.test[127.0.0.1]:" + retrying.port()));
    }

    @Test
    void aPermanentRefusalBouncesToTheSenderAsAnRfc3464Report() throws Exception {
        send("bob@reject.test", "not wanted");

        Outbound.Dsn dsn = bounceFor("bob@reject.test", Duration.ofSeconds(15));
        assertThat(((InternetAddress) dsn.message().getFrom()[0]).getAddress()).isEqualTo("MAILER-DAEMON@mx.a.test");
        assertThat(dsn.message().getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(dsn.perMessage().getHeader("Reporting-MTA", null)).isEqualTo("dns; mx.a.test");
        assertThat(dsn.recipients()).hasSize(1);
        assertThat(dsn.field(0, "Final-Recipient")).isEqualTo("rfc822; bob@reject.test");
        assertThat(dsn.field(0, "Action")).isEqualTo("failed");
        assertThat(dsn.field(0, "Status")).isEqualTo("5.1.1");
        assertThat(dsn.field(0, "Remote-MTA")).isEqualTo("dns; reject-peer.route.test");
        assertThat(dsn.field(0, "Diagnostic-Code"))
                .isEqualTo("smtp; 550 5.1.1 <bob@reject.test>: no such user here");
        assertThat(dsn.returned()).contains("Subject: not wanted");
        assertThat(rejecting.accepted()).isEmpty();
    }

    @Test
    void oneBounceReportsEveryFailedRecipientOfAMessageAndNoneOfTheDelivered() throws Exception {
        sendToAll("mixed fortunes", "eve@reject.test", "carol@a.test", "dave@nx.test");

        assertThat(Outbound.awaitMail(tern.config().dataDir(), "carol@a.test",
                m -> m.contains("Subject: mixed fortunes"), Duration.ofSeconds(15))).isPresent();
        Outbound.Dsn dsn = bounceFor("eve@reject.test", Duration.ofSeconds(15));
        assertThat(dsn.recipients()).hasSize(2);
        assertThat(dsn.field(0, "Final-Recipient")).isEqualTo("rfc822; eve@reject.test");
        assertThat(dsn.field(0, "Status")).isEqualTo("5.1.1");
        assertThat(dsn.field(0, "Remote-MTA")).isEqualTo("dns; reject-peer.route.test");
        assertThat(dsn.field(1, "Final-Recipient")).isEqualTo("rfc822; dave@nx.test");
        assertThat(dsn.field(1, "Status")).isEqualTo("5.1.2");
        assertThat(dsn.field(1, "Remote-MTA")).isNull();
        assertThat(dsn.returned()).contains("Subject: mixed fortunes");
    }

    @Test
    void aServerThatNeverAnswersIsRetriedUntilTheLifetimeEndsThenBounced() throws Exception {
        String id = send("bob@hang.test", "into the void");

        Outbound.Dsn dsn = bounceFor("bob@hang.test", LIFETIME.plusSeconds(15));
        assertThat(dsn.field(0, "Action")).isEqualTo("failed");
        assertThat(dsn.field(0, "Status")).isEqualTo("4.4.7");
        assertThat(dsn.field(0, "Diagnostic-Code")).contains("expired");
        assertThat(hanging.connections()).isGreaterThanOrEqualTo(2);
        assertThat(log.lines()).anyMatch(l -> l.startsWith(id + ": deferred to=<bob@hang.test>"));
    }

    @Test
    void aNullMxBouncesAtOnce() throws Exception {
        String id = send("bob@nullmx.test", "nowhere");

        Outbound.Dsn dsn = bounceFor("bob@nullmx.test", Duration.ofSeconds(15));
        assertThat(dsn.field(0, "Action")).isEqualTo("failed");
        assertThat(dsn.field(0, "Status")).isEqualTo("5.1.10");
        assertThat(dsn.field(0, "Diagnostic-Code")).contains("null MX");
        assertThat(dsn.field(0, "Remote-MTA")).as("no server was asked").isNull();
        assertThat(log.lines()).filteredOn(l -> l.startsWith(id + ": ")).noneMatch(l -> l.contains(" deferred "))
                .anyMatch(l -> l.contains("failed to=<bob@nullmx.test>") && l.contains("attempts=1"));
    }

    @Test
    void aDomainThatDoesNotExistBouncesAtOnce() throws Exception {
        String id = send("bob@nx.test", "no such domain");

        Outbound.Dsn dsn = bounceFor("bob@nx.test", Duration.ofSeconds(15));
        assertThat(dsn.field(0, "Status")).isEqualTo("5.1.2");
        assertThat(dsn.field(0, "Diagnostic-Code")).contains("nx.test does not exist");
        assertThat(log.lines()).filteredOn(l -> l.startsWith(id + ": ")).noneMatch(l -> l.contains(" deferred "))
                .anyMatch(l -> l.contains("failed to=<bob@nx.test>") && l.contains("attempts=1"));
    }

    @Test
    void aDnsServerFailureDefersTheMessage() throws Exception {
        String id = send("bob@servfail.test", "dns trouble");
        String data = tern.config().dataDir().toString();

        assertThat(Outbound.await(() -> Outbound.tern("queue", "list", "--data", data).out()
                .contains("deferred  <bob@servfail.test>  4.4.3"), Duration.ofSeconds(4))).isTrue();
        Outbound.Run list = Outbound.tern("queue", "list", "--data", data);
        assertThat(list.out()).contains(id).contains("SERVFAIL").contains("next attempt");
        Outbound.Run show = Outbound.tern("queue", "show", id, "--data", data);
        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("sender:       <alice@a.test>").contains("Subject: dns trouble");
        assertThat(Outbound.awaitMail(tern.config().dataDir(), "alice@a.test",
                m -> m.contains("Final-Recipient: rfc822; bob@servfail.test"), Duration.ZERO)).isEmpty();
    }
}
