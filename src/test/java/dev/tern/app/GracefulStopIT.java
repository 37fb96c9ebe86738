package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.queue.FileSpool;
import dev.tern.store.FileDirectory;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a server in a child JVM ({@link ChildTern}): the listener stops accepting, an idle session gets
 * {@code 421 4.3.2}, a session in the middle of DATA finishes its message with 250 (then gets the 421), the
 * process exits 0, and the message is in the mailbox after the restart. A stop outlasting its bound cuts the
 * session (nothing acknowledged, nothing delivered); a second SIGTERM ends the process at once.
 */
class GracefulStopIT {

    @TempDir
    Path data;

    @Test
    void sigtermLetsDataFinishTellsIdleSessions421AndExitsZero() throws Exception {
        Path config = config("1m");
        int port;
        String output;
        try (ChildTern server = ChildTern.start(config, data, data.resolve("out-1.log"))) {
            port = server.awaitPort(Duration.ofSeconds(60));
            try (SmtpTestClient sending = new SmtpTestClient(port); SmtpTestClient idle = new SmtpTestClient(port)) {
                midData(sending, "graceful-1");
                idle.reply();
                assertThat(idle.command("EHLO idle.tern.test")).startsWith("250 ");

                server.terminate();
                // The idle session hears of the stop first: then the stop is under way for the other one too.
                assertThat(idle.reply()).startsWith("421 4.3.2 ");
                assertThat(idle.closedByServer()).isTrue();
                assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
                        .as("no new connection once the stop began").isInstanceOf(ConnectException.class);

                sending.send("the rest of the message\r\n.\r\n");
                assertThat(sending.reply()).as("the message in DATA when SIGTERM came").startsWith("250 ");
                assertThat(sending.reply()).startsWith("421 4.3.2 ");
            }
            assertThat(server.awaitExit(Duration.ofSeconds(60))).as("exit status").isEqualTo(0);
            output = server.output();
        }
        assertThat(output).contains("stopped sessions_cut=0");
        assertThat(delivered("graceful-1")).as("after the restart").isTrue();
    }

    @Test
    void aSessionStillInDataAtTheBoundIsCutAndNothingIsDelivered() throws Exception {
        Path config = config("2s");
        try (ChildTern server = ChildTern.start(config, data, data.resolve("out-1.log"))) {
            int port = server.awaitPort(Duration.ofSeconds(60));
            try (SmtpTestClient sending = new SmtpTestClient(port)) {
                midData(sending, "cut-1");
                server.terminate();
                // Never finished: the bound ends the session without a reply to the data.
                assertThat(sending.reply()).isNull();
            }
            assertThat(server.awaitExit(Duration.ofSeconds(60))).as("exit status").isEqualTo(0);
            assertThat(server.output()).contains("stopped sessions_cut=1");
        }
        assertNothingQueuedOrDelivered("cut-1");
    }

    @Test
    void aSecondSigtermEndsTheStopAtOnce() throws Exception {
        Path config = config("1h");
        try (ChildTern server = ChildTern.start(config, data, data.resolve("out-1.log"))) {
            int port = server.awaitPort(Duration.ofSeconds(60));
            try (SmtpTestClient sending = new SmtpTestClient(port); SmtpTestClient idle = new SmtpTestClient(port)) {
                midData(sending, "second-1");
                idle.reply();
                server.terminate();
                assertThat(idle.reply()).startsWith("421 4.3.2 ");
                server.terminate();
                assertThat(server.awaitExit(Duration.ofSeconds(60))).as("exit status")
                        .isEqualTo(Signals.TERMINATED);
            }
        }
        assertNothingQueuedOrDelivered("second-1");
    }

    private Path config(String grace) throws Exception {
        new FileDirectory(data, List.of("localhost")).addUser("alice@localhost", "unused");
        Path config = data.resolve("tern.toml");
        Files.writeString(config, """
                hostname = "stop.tern.test"
                [[listener]]
                name = "mx"
                role = "mx"
                address = "127.0.0.1"
                port = 0
                [shutdown]
                grace = "%s"
                """.formatted(grace));
        return config;
    }

    /** Greeting, EHLO, MAIL, RCPT, DATA and the first part of a message marked {@code X-Mark}. */
    private static void midData(SmtpTestClient client, String mark) throws IOException {
        client.reply();
        assertThat(client.command("EHLO sender.tern.test")).startsWith("250 ");
        assertThat(client.command("MAIL FROM:<sender@remote.test>")).startsWith("250 ");
        assertThat(client.command("RCPT TO:<alice@localhost>")).startsWith("250 ");
        assertThat(client.command("DATA")).startsWith("354 ");
        client.send("From: sender@remote.test\r\nSubject: stop\r\nX-Mark: " + mark + "\r\n\r\nthe first part\r\n");
    }

    /** Whether a message marked {@code mark} is in alice's mailbox after a restart (which delivers the queue). */
    private boolean delivered(String mark) throws Exception {
        try (ChildTern again = ChildTern.start(data.resolve("tern.toml"), data, data.resolve("out-2.log"))) {
            again.awaitPort(Duration.ofSeconds(60));
            Instant until = Instant.now().plusSeconds(60);
            while (!inMailbox(mark) && Instant.now().isBefore(until)) {
                Thread.sleep(100);
            }
            return inMailbox(mark);
        }
    }

    /** A message cut before its 250 left nothing: not in the queue, not in the mailbox. */
    private void assertNothingQueuedOrDelivered(String mark) throws IOException {
        assertThat(FileSpool.shared(data).committed()).as("messages in the queue").isEmpty();
        assertThat(inMailbox(mark)).as("a message never acknowledged, in the mailbox").isFalse();
    }

    private boolean inMailbox(String mark) throws IOException {
        for (Path file : TernFixture.list(data.resolve("mail/localhost/alice/new"))) {
            if (Files.readString(file, StandardCharsets.UTF_8).contains("X-Mark: " + mark)) {
                return true;
            }
        }
        return false;
    }
}
