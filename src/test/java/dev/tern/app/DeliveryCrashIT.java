package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.store.FileDirectory;
import dev.tern.testsmtp.PeerServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue survives kill -9 in the middle of delivery: a server in a child JVM relays many messages to a
 * remote server that is slow to answer the end of data, is killed mid-way, and restarted. Every message then
 * reaches the remote server, and only the messages whose attempt was in flight at the kill may arrive twice:
 * at most {@value #IN_FLIGHT} (the connections to the one destination, {@code max_per_destination}).
 */
class DeliveryCrashIT {

    private static final int MESSAGES = 40;
    private static final int IN_FLIGHT = 4;
    private static final Pattern SEQ = Pattern.compile("X-Seq: (\\d+)");

    @TempDir
    Path dir;

    @Test
    void killDashNineDuringDeliveryLosesNothingAndRepeatsOnlyWhatWasInFlight() throws Exception {
        Path data = dir.resolve("data");
        new FileDirectory(data, List.of("a.test")).addUser("alice@a.test", "unused");
        try (PeerServer peer = PeerServer.start()) {
            peer.dataDoneGate = new CountDownLatch(1); // nothing is accepted until every message is queued
            peer.dataDoneDelay = Duration.ofMillis(100);
            Path config = Files.writeString(dir.resolve("tern.toml"), """
                    hostname = "crash.a.test"
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
                    [delivery]
                    max_per_destination = %d
                    [[delivery.route]]
                    domain = "peer.test"
                    host = "127.0.0.1"
                    port = %d
                    """.formatted(IN_FLIGHT, peer.port()));

            int acceptedBeforeKill;
            try (ChildTern first = ChildTern.start(config, data, dir.resolve("first.log"))) {
                queueAll(first.awaitPort(Duration.ofSeconds(20)));
                peer.dataDoneGate.countDown();
                assertThat(Outbound.await(() -> peer.accepted().size() >= MESSAGES / 4 && peer.awaitingReply() > 0,
                        Duration.ofSeconds(20))).as("deliveries under way").isTrue();
                first.kill();
                acceptedBeforeKill = peer.accepted().size();
            }
            assertThat(acceptedBeforeKill).as("killed mid-way").isLessThan(MESSAGES);

            try (ChildTern second = ChildTern.start(config, data, dir.resolve("second.log"))) {
                second.awaitPort(Duration.ofSeconds(20));
                Outbound.await(() -> counts(peer).size() == MESSAGES, Duration.ofSeconds(30));
                Map<Integer, Integer> counts = counts(peer);
                assertThat(counts.keySet()).as("every message arrived")
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, MESSAGES).boxed().toList());
                assertThat(counts.values()).as("none more than twice").allMatch(n -> n <= 2);
                int repeats = counts.values().stream().mapToInt(n -> n - 1).sum();
                assertThat(repeats).as("repeated deliveries").isLessThanOrEqualTo(IN_FLIGHT);
                assertThat(Outbound.await(() -> Outbound.tern("queue", "list", "--data", data.toString()).out()
                        .contains("queue is empty"), Duration.ofSeconds(10))).as("the queue empties").isTrue();
            }
        }
    }

    /** Relays every message through the server (127.0.0.1 is a trusted network); each must get its 250. */
    private static void queueAll(int port) throws Exception {
        try (SmtpTestClient client = new SmtpTestClient(port)) {
            client.reply();
            client.command("EHLO load.a.test");
            for (int seq = 1; seq <= MESSAGES; seq++) {
                String reply = client.sendMessage("alice@a.test", "bob@peer.test",
                        "Subject: crash " + seq + "\r\nX-Seq: " + seq + "\r\n\r\n" + "x".repeat(200));
                assertThat(reply).as("message " + seq).startsWith("250 ");
            }
            client.command("QUIT");
        }
    }

    /** How many times the remote server accepted each message. */
    private static Map<Integer, Integer> counts(PeerServer peer) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (String message : peer.accepted()) {
            Matcher m = SEQ.matcher(message);
            if (m.find()) {
                counts.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
            }
        }
        return counts;
    }
}
