package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.TernConfig;
import dev.tern.store.FileDirectory;
import dev.tern.testdns.TestDnsServer;
import dev.tern.testsmtp.TricklingPeer;
import dev.tern.testsmtp.TricklingPeer.Stage;
import dev.tern.testsmtp.PeerServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery stall: a server that answers one byte every little while, each byte within every per-read
 * timeout, reached by ordinary mail to its domain (or a NOTIFY=SUCCESS notice). Once, twenty such messages held
 * the twenty permits of the one delivery pool, and no mail moved, local mail included. A running Tern now keeps
 * its local mail and its other destinations moving while they trickle, and ends each attempt at its deadline.
 */
class DeliveryStallIT {

    /** The old single pool's default size: this many stalled messages stopped all delivery. */
    private static final int STALLED = 20;
    private static final Duration TRICKLE = Duration.ofMillis(200);

    @TempDir
    Path dir;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private TestDnsServer dns;
    private Tern tern;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) { // the peers go first: the stalled attempts end with their connections
            c.close();
        }
        if (tern != null) {
            tern.close();
        }
        dns.close();
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        closing.add(resource);
        return resource;
    }

    /**
     * Tern for a.test with routes good.test → an ordinary server and trickle.test, trickle1.test, ... → the
     * tricklers, each a destination of its own.
     */
    private void start(String delivery, PeerServer good, TricklingPeer... tricklers) throws Exception {
        dns = TestDnsServer.start();
        dns.add("trickle-peer.route.test", "A", "127.0.0.1").add("good-peer.route.test", "A", "127.0.0.1");
        StringBuilder routes = new StringBuilder();
        for (int i = 0; i < tricklers.length; i++) {
            routes.append("""
                    [[delivery.route]]
                    domain = "trickle%s.test"
                    host = "trickle-peer.route.test"
                    port = %d
                    """.formatted(i == 0 ? "" : i, tricklers[i].port()));
        }
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
                retry_initial = "1h"
                [delivery]
                connect_timeout = "1s"
                %s
                %s
                [[delivery.route]]
                domain = "good.test"
                host = "good-peer.route.test"
                port = %d
                [dns]
                servers = ["127.0.0.1:%d"]
                timeout = "2s"
                retries = 1
                """.formatted(delivery, routes, good.port(), dns.port()), data);
        new FileDirectory(data, config.domains()).addUser("carol@a.test", "unused");
        tern = Tern.start(config);
    }

    /** Sends each message from alice@a.test (relayed: 127.0.0.1 is trusted) in one session. */
    private void send(String to, String subject, int count) throws Exception {
        try (SmtpTestClient client = new SmtpTestClient(tern.port("mx"))) {
            client.reply();
            client.command("EHLO client.a.test");
            for (int i = 0; i < count; i++) {
                assertThat(client.sendMessage("alice@a.test", to, "From: alice@a.test\r\nTo: " + to
                        + "\r\nSubject: " + subject + " " + i + "\r\n\r\nHello.\r\n")).startsWith("250 ");
            }
            client.command("QUIT");
        }
    }

    @Test
    @Timeout(120)
    void twentyTricklingMessagesStopNeitherLocalMailNorOtherDestinations() throws Exception {
        TricklingPeer trickler = closeLater(TricklingPeer.start(Stage.GREETING, TRICKLE));
        TricklingPeer trickler1 = closeLater(TricklingPeer.start(Stage.GREETING, TRICKLE));
        PeerServer good = closeLater(PeerServer.start());
        start("""
                attempt_timeout = "10m"
                max_connections = 5
                max_per_destination = 2
                """, good, trickler, trickler1);

        send("bob@trickle.test", "stalled", STALLED / 2);
        send("bob@trickle1.test", "stalled", STALLED / 2);
        assertThat(Outbound.await(() -> trickler.trickling() == 2 && trickler1.trickling() == 2,
                Duration.ofSeconds(20))).as("each trickler holds its two connections").isTrue();

        send("carol@a.test", "local", 1);
        assertThat(Outbound.awaitMail(tern.config().dataDir(), "carol@a.test", m -> m.contains("Subject: local 0"),
                Duration.ofSeconds(20))).as("local mail is delivered to the Maildir").isPresent();
        send("dave@good.test", "elsewhere", 1);
        assertThat(good.awaitAccepted(1, Duration.ofSeconds(20))).singleElement()
                .satisfies(m -> assertThat(m).contains("Subject: elsewhere 0"));

        assertThat(trickler.mostActive()).as("max_per_destination").isEqualTo(2);
        assertThat(trickler1.mostActive()).as("max_per_destination").isEqualTo(2);
        assertThat(trickler.trickling() + trickler1.trickling()).as("still stalled meanwhile").isEqualTo(4);
    }

    @Test
    @Timeout(120)
    void whenTricklersHoldEveryConnectionTheDeadlineFreesOneForAnotherDestination() throws Exception {
        TricklingPeer trickler = closeLater(TricklingPeer.start(Stage.GREETING, TRICKLE));
        TricklingPeer trickler1 = closeLater(TricklingPeer.start(Stage.GREETING, TRICKLE));
        PeerServer good = closeLater(PeerServer.start());
        try (Outbound.MailLogLines log = new Outbound.MailLogLines()) {
            start("""
                    attempt_timeout = "3s"
                    max_connections = 4
                    max_per_destination = 2
                    """, good, trickler, trickler1);
            send("bob@trickle.test", "stalled", STALLED / 2);
            send("bob@trickle1.test", "stalled", STALLED / 2);
            assertThat(Outbound.await(() -> trickler.trickling() + trickler1.trickling() == 4,
                    Duration.ofSeconds(20))).as("every connection is taken").isTrue();

            send("carol@a.test", "local", 1);
            send("dave@good.test", "elsewhere", 1);

            assertThat(Outbound.awaitMail(tern.config().dataDir(), "carol@a.test",
                    m -> m.contains("Subject: local 0"), Duration.ofSeconds(20))).isPresent();
            assertThat(good.awaitAccepted(1, Duration.ofSeconds(30)))
                    .as(() -> "a freed connection went to good.test; its log: " + log.lines().stream()
                            .filter(l -> l.contains("good")).toList())
                    .hasSize(1);
            assertThat(log.lines()).anyMatch(l -> l.contains(": deferred to=<bob@trickle")
                    && l.contains("status=4.4.7"));
        }
    }

    @Test
    @Timeout(120)
    void aTricklingServerIsCutAtTheAttemptDeadlineAndTheRecipientDeferred() throws Exception {
        TricklingPeer trickler = closeLater(TricklingPeer.start(Stage.END_OF_DATA, TRICKLE));
        PeerServer good = closeLater(PeerServer.start());
        try (Outbound.MailLogLines log = new Outbound.MailLogLines()) {
            start("""
                    command_timeout = "1m"
                    data_done_timeout = "1m"
                    attempt_timeout = "2s"
                    """, good, trickler);

            send("bob@trickle.test", "stalled", 1);

            assertThat(log.await(l -> l.contains(": deferred to=<bob@trickle.test>"), Duration.ofSeconds(60)))
                    .hasValueSatisfying(l -> assertThat(l).contains("status=4.4.7").contains("attempts=1")
                            .contains("conversation with trickle-peer.route.test[127.0.0.1]:" + trickler.port()
                                    + " timed out: the delivery attempt took longer than 2s (attempt_timeout)"));
            assertThat(Outbound.await(() -> trickler.endedByClient() == 1, Duration.ofSeconds(10)))
                    .as("Tern closed the connection").isTrue();
            assertThat(tern.queue().list()).hasSize(1);
        }
    }
}
