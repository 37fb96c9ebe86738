package dev.tern.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.testsmtp.SmtpSink;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int bench(SmtpSink sink, String... args) {
        List<String> all = new ArrayList<>(List.of("--port", Integer.toString(sink.port()), "--timeout", "10"));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    private int run(String... args) {
        CommandLine cmd = new CommandLine(new BenchCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void sendsEveryMessageToEveryRecipientWithCrlfAndDotStuffing() throws IOException {
        try (SmtpSink sink = new SmtpSink(false, "250 2.0.0 queued", null)) {
            int exit = bench(sink, "--messages", "30", "--connections", "4", "--recipients", "3",
                    "--to", "user%d@localhost", "--per-connection", "5", "--size", "3000");

            assertThat(exit).as(out.toString()).isZero();
            assertThat(sink.violations).isEmpty();
            assertThat(sink.messages).hasSize(30);
            for (SmtpSink.Received m : sink.messages) {
                assertThat(new HashSet<>(m.recipients())).hasSize(3)
                        .containsExactlyInAnyOrder("user1@localhost", "user2@localhost", "user3@localhost");
                int body = m.lines().indexOf("");
                // The generator's first body lines start with dots; they survive only if they were stuffed.
                assertThat(m.lines().subList(body + 1, body + 3))
                        .containsExactly(".", "..two dots at the start of this line");
                assertThat(m.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(78));
            }
            assertThat(out.toString())
                    .contains("messages sent: 30 accepted, 0 failed")
                    .contains("result sent=30 failed=0");
        }
    }

    @Test
    void reconnectsAfterPerConnectionMessages() throws IOException {
        try (SmtpSink sink = new SmtpSink(false, "250 ok", null)) {
            int exit = bench(sink, "--messages", "12", "--connections", "2", "--per-connection", "3");

            assertThat(exit).isZero();
            assertThat(sink.messages).hasSize(12);
            assertThat(sink.messagesPerConnection).allSatisfy(n -> assertThat(n).isBetween(1, 3));
            assertThat(sink.messagesPerConnection.stream().mapToInt(Integer::intValue).sum()).isEqualTo(12);
            assertThat(sink.messagesPerConnection.size()).isGreaterThanOrEqualTo(4);
            assertThat(sink.quits.get()).isEqualTo(sink.messagesPerConnection.size());
        }
    }

    @Test
    void oneMessagePerConnectionByDefault() throws IOException {
        try (SmtpSink sink = new SmtpSink(false, "250 ok", null)) {
            assertThat(bench(sink, "--messages", "7", "--connections", "3")).isZero();

            assertThat(sink.messagesPerConnection).hasSize(7).containsOnly(1);
            assertThat(out.toString()).contains("over 7 connections");
        }
    }

    @Test
    void countsRefusedMessagesAsFailuresAndQuotesTheReply() throws IOException {
        try (SmtpSink sink = new SmtpSink(false, "451 4.3.0 try again later", null)) {
            int exit = bench(sink, "--messages", "10", "--connections", "2", "--per-connection", "10");

            assertThat(exit).isEqualTo(1);
            assertThat(sink.violations).isEmpty(); // RSET after each refusal keeps the session in step
            assertThat(out.toString())
                    .contains("messages sent: 0 accepted, 10 failed")
                    .contains("451 4.3.0 try again later")
                    .contains("result sent=0 failed=10");
        }
    }

    @Test
    void pipelinesWhenOfferedAndFallsBackWhenNot() throws IOException {
        for (boolean offered : new boolean[] {true, false}) {
            try (SmtpSink sink = new SmtpSink(offered, "250 ok", null)) {
                int exit = bench(sink, "--messages", "20", "--connections", "3", "--per-connection", "4",
                        "--recipients", "2", "--to", "u%d@localhost", "--pipelining");

                assertThat(exit).isZero();
                assertThat(sink.violations).isEmpty();
                assertThat(sink.messages).hasSize(20).allSatisfy(m -> assertThat(m.recipients()).hasSize(2));
            }
        }
    }

    @Test
    void waitsForMaildirDeliveryAndIgnoresMailThatWasAlreadyThere(@TempDir Path dir) throws IOException {
        Path old = dir.resolve("localhost/user1/new");
        Files.createDirectories(old);
        Files.writeString(old.resolve("earlier"), "old mail\r\n");
        try (SmtpSink sink = new SmtpSink(true, "250 ok", dir)) {
            int exit = bench(sink, "--messages", "10", "--connections", "2", "--recipients", "2",
                    "--to", "user%d@localhost", "--users", "4", "--maildir", dir.toString(), "--expect-delivered");

            assertThat(exit).as(out.toString()).isZero();
            assertThat(out.toString())
                    .contains("delivered: 20 of 20 expected Maildir files")
                    .contains("delivered_files=20");
            try (Stream<Path> boxes = Files.list(dir.resolve("localhost"))) {
                assertThat(boxes.map(p -> p.getFileName().toString()))
                        .containsExactlyInAnyOrder("user1", "user2", "user3", "user4");
            }
        }
    }

    @Test
    void failsWhenExpectedDeliveriesDoNotArrive(@TempDir Path dir) throws IOException {
        try (SmtpSink sink = new SmtpSink(false, "250 ok", null)) { // accepts but never delivers
            int exit = bench(sink, "--messages", "3", "--maildir", dir.toString(), "--expect-delivered",
                    "--delivery-timeout", "0");

            assertThat(exit).isEqualTo(1);
            assertThat(out.toString()).contains("delivered: 0 of 3 expected");
        }
    }

    @Test
    void countsEveryMessageAsFailedWhenNobodyListens() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        int exit = run("--port", Integer.toString(port), "--messages", "4", "--connections", "2");

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("0 accepted, 4 failed").contains("ConnectException");
    }

    @Test
    void refusesSeveralRecipientsWithoutAPatternAndDeliveryChecksWithoutMaildir() {
        assertThat(run("--recipients", "2", "--to", "one@localhost")).isEqualTo(2);
        assertThat(err.toString()).contains("%d");
        assertThat(run("--expect-delivered")).isEqualTo(2);
        assertThat(err.toString()).contains("--expect-delivered needs --maildir");
    }

    @Test
    void helpDescribesEveryOption() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--per-connection", "--pipelining", "--maildir", "user%d@localhost");
    }
}
