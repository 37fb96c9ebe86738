package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.TernConfig;
import dev.tern.store.FileDirectory;
import dev.tern.testsmtp.PeerServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tern queue list|show|hold|release|flush|delete|bounce}, through the real command line, against a running
 * server: each command goes through the server's control socket and its effect is seen where it matters (the
 * remote server, the spool, the sender's mailbox). Each test has its own remote server, which refuses with 451
 * until the test lets it accept; the retry time is long, so only a command makes the queue try again.
 */
class QueueCommandsIT {

    @TempDir
    static Path dir;
    static Tern tern;
    static String data;
    static final Map<String, PeerServer> peers = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        StringBuilder routes = new StringBuilder();
        for (String name : new String[] {"hold", "flush", "delete", "bounce"}) {
            PeerServer peer = PeerServer.start();
            peer.rcptReply = "451 4.7.1 greylisted, come back later";
            peers.put(name, peer);
            routes.append("""
                    [[delivery.route]]
                    domain = "%s.test"
                    host = "127.0.0.1"
                    port = %d
                    """.formatted(name, peer.port()));
        }
        Path dataDir = dir.resolve("data");
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
                retry_initial = "10m"
                [delivery]
                connect_timeout = "2s"
                command_timeout = "2s"
                reuse_time = "0s"
                """ + routes, dataDir);
        new FileDirectory(dataDir, config.domains()).addUser("alice@a.test", "unused");
        tern = Tern.start(config);
        data = dataDir.toString();
    }

    @AfterAll
    static void stop() throws Exception {
        if (tern != null) {
            tern.close();
        }
        for (PeerServer p : peers.values()) {
            p.close();
        }
    }

    private static Outbound.Run queue(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "queue";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--data";
        all[args.length + 2] = data;
        return Outbound.tern(all);
    }

    /** Sends a message to bob at the test's domain and waits until the queue lists it as deferred. */
    private static String sendDeferred(String domain, String subject) throws Exception {
        String id;
        try (SmtpTestClient client = new SmtpTestClient(tern.port("mx"))) {
            client.reply();
            client.command("EHLO client.a.test");
            String reply = client.sendMessage("alice@a.test", "bob@" + domain, "From: alice@a.test\r\nSubject: "
                    + subject + "\r\n\r\nHello.\r\n");
            assertThat(reply).startsWith("250 ");
            id = reply.replaceAll(".*queued as (\\S+).*", "$1");
        }
        String line = "deferred  <bob@" + domain + ">  4.7.1 ";
        assertThat(Outbound.await(() -> queue("list").out().contains(line), Duration.ofSeconds(10)))
                .as("listed as deferred").isTrue();
        return id;
    }

    private static boolean listed(String id) {
        return queue("list").out().contains(id);
    }

    @Test
    void aHeldMessageWaitsThroughAFlushAndGoesWhenReleased() throws Exception {
        PeerServer peer = peers.get("hold");
        String id = sendDeferred("hold.test", "on hold");

        Outbound.Run list = queue("list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).containsPattern(id + " +\\d+s +\\d+  <alice@a.test>")
                .contains("deferred  <bob@hold.test>  4.7.1 127.0.0.1[127.0.0.1]:" + peer.port()
                        + " said: 451 4.7.1 greylisted, come back later (in reply to RCPT TO) (1 attempt)")
                .contains("next attempt ");
        Outbound.Run show = queue("show", id.toLowerCase());
        assertThat(show.out()).contains("id:           " + id, "sender:       <alice@a.test>",
                "held:         no", "client:       client.a.test [127.0.0.1]", "    Subject: on hold");

        peer.rcptReply = "250 2.1.5 Ok";
        assertThat(queue("hold", id, "--reason", "asking legal first").out()).isEqualTo("held " + id + "\n");
        assertThat(queue("list").out()).contains(id).contains("HELD: asking legal first");
        assertThat(queue("show", id).out()).contains("held:         asking legal first (since ")
                .contains("next attempt: none while held");

        assertThat(queue("flush").out()).startsWith("flushed: ");
        assertThat(tern.queue().awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(peer.rcptCommands()).as("no attempt while held").isEqualTo(1);
        assertThat(Files.exists(Path.of(data, "spool", id + ".hold"))).isTrue();

        assertThat(queue("release", id).out()).isEqualTo("released " + id + "\n");
        assertThat(peer.awaitAccepted(1, Duration.ofSeconds(10))).hasSize(1)
                .allSatisfy(m -> assertThat(m).contains("Subject: on hold"));
        assertThat(Outbound.await(() -> !listed(id), Duration.ofSeconds(5))).isTrue();
        assertThat(Files.exists(Path.of(data, "spool", id + ".hold"))).isFalse();
    }

    @Test
    void flushingOneMessageAttemptsItLongBeforeItsRetryTime() throws Exception {
        PeerServer peer = peers.get("flush");
        String id = sendDeferred("flush.test", "flush me");
        peer.rcptReply = "250 2.1.5 Ok";

        assertThat(queue("flush", id).out()).isEqualTo("flushed " + id + "\n");
        assertThat(peer.awaitAccepted(1, Duration.ofSeconds(10))).hasSize(1);
        assertThat(Outbound.await(() -> !listed(id), Duration.ofSeconds(5))).isTrue();
        assertThat(queue("flush", id).err()).contains("no such message");
    }

    @Test
    void deleteRemovesTheMessageAndTellsNobody() throws Exception {
        String id = sendDeferred("delete.test", "delete me");

        Outbound.Run delete = queue("delete", id);
        assertThat(delete.exit()).isZero();
        assertThat(delete.out()).isEqualTo("deleted " + id + "\n");
        assertThat(listed(id)).isFalse();
        assertThat(Files.exists(Path.of(data, "spool", id + ".msg"))).isFalse();
        assertThat(Files.exists(Path.of(data, "spool", id + ".state"))).isFalse();
        Outbound.Run show = queue("show", id);
        assertThat(show.exit()).isEqualTo(1);
        assertThat(show.err()).isEqualTo("tern: no such message: " + id + "\n");
        assertThat(queue("delete", id).exit()).isEqualTo(1);

        assertThat(tern.queue().awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(Outbound.awaitMail(Path.of(data), "alice@a.test", m -> m.contains("bob@delete.test"),
                Duration.ZERO)).as("no bounce").isEmpty();
    }

    @Test
    void bounceFailsThePendingRecipientsAndTellsTheSender() throws Exception {
        String id = sendDeferred("bounce.test", "bounce me");

        assertThat(queue("bounce", id).out()).isEqualTo("bounced " + id + ": 1 recipient failed with 5.0.0\n");
        String stored = Outbound.awaitMail(Path.of(data), "alice@a.test",
                m -> m.contains("Final-Recipient: rfc822; bob@bounce.test"), Duration.ofSeconds(10)).orElseThrow();
        Outbound.Dsn dsn = Outbound.parseDsn(stored);
        assertThat(dsn.field(0, "Action")).isEqualTo("failed");
        assertThat(dsn.field(0, "Status")).isEqualTo("5.0.0");
        assertThat(dsn.returned()).contains("Subject: bounce me");
        assertThat(listed(id)).isFalse();
        assertThat(peers.get("bounce").accepted()).isEmpty();
    }

    @Test
    void mistakesAreReportedOnOneLine() {
        Outbound.Run notAnId = queue("hold", "not-an-id");
        assertThat(notAnId.exit()).isEqualTo(1);
        assertThat(notAnId.err()).isEqualTo("tern: not a queue id: not-an-id\n");
        Outbound.Run unknown = queue("release", "1L8JAY7X10H48P");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("1L8JAY7X10H48P");
    }
}
