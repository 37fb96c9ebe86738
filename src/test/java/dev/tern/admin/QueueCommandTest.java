package dev.tern.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.auth.PasswordHasher;
import dev.tern.config.QueueSettings;
import dev.tern.control.ControlServer;
import dev.tern.delivery.Outcome;
import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.mail.Recipient;
import dev.tern.queue.FileSpool;
import dev.tern.queue.QueueRunner;
import dev.tern.queue.Spool;
import dev.tern.queue.SpoolLock;
import dev.tern.queue.SystemDelayScheduler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class QueueCommandTest {

    private static final PasswordHasher CHEAP = new PasswordHasher(new PasswordHasher.Cost(256, 1, 1));

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run run(InputStream stdin, String... args) {
        CommandLine cl = TernCommand.commandLine(PasswordInput.stream(new ByteArrayInputStream(new byte[0])), CHEAP,
                stdin);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Run run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--data";
        all[args.length + 1] = data().toString();
        return run(new ByteArrayInputStream(new byte[0]), all);
    }

    private Path data() {
        return dir.resolve("data");
    }

    static QueueId commit(FileSpool spool, String sender, String... rcpts) throws IOException {
        try (Spool.Draft draft = spool.create()) {
            draft.content().write("From: someone\r\nSubject: queued for the test\r\n\r\nbody\r\n".getBytes());
            draft.commit(new Envelope(mailbox(sender), java.util.Arrays.stream(rcpts).map(r -> Recipient.of(mailbox(r)))
                    .toList(), Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.HDRS, "ENV1", "client.example",
                    "192.0.2.1", null, Instant.now().minusSeconds(3700)));
            return draft.id();
        }
    }

    static Address mailbox(String text) {
        int at = text.indexOf('@');
        return new Address(text.substring(0, at), Domain.of(text.substring(at + 1)));
    }

    @Test
    void listAndShowWorkFromTheSpoolFiles() throws Exception {
        assertThat(run("queue", "list").out()).isEqualTo("queue is empty\n");
        QueueId id = commit(new FileSpool(data()), "alice@example.org", "bob@example.net", "carol@example.net");
        Run list = run("queue", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains(id.value(), "1h01m", "<alice@example.org>", "pending   <bob@example.net>",
                "pending   <carol@example.net>", "-- 1 message");

        Run show = run("queue", "show", id.value().toLowerCase());
        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("id:           " + id, "sender:       <alice@example.org>", "held:         no",
                "ret=HDRS envid=ENV1", "client.example [192.0.2.1]", "<bob@example.net>",
                "    Subject: queued for the test", "tls:          as each destination's policy says");
        assertThat(run("queue", "show", "0000000000000Z").err()).contains("no such message: 0000000000000Z");
        assertThat(run("queue", "show", "bad/id").err()).contains("not a queue id: bad/id");
    }

    /** What the sender asked of the transport (RFC 8689) is shown with the message. */
    @Test
    void showSaysWhetherTheMessageRequiresTlsOrMakesItOptional() throws Exception {
        FileSpool spool = new FileSpool(data());
        QueueId required = commit(spool, "alice@example.org", true, false);
        QueueId optional = commit(spool, "alice@example.org", false, true);
        assertThat(run("queue", "show", required.value()).out())
                .contains("tls:          required (REQUIRETLS: verified TLS to servers offering REQUIRETLS, or a bounce)");
        assertThat(run("queue", "show", optional.value()).out())
                .contains("tls:          optional (TLS-Required: No: the recipient domains' TLS policies do not apply)");
    }

    private static QueueId commit(FileSpool spool, String sender, boolean requireTls, boolean tlsOptional)
            throws IOException {
        try (Spool.Draft draft = spool.create()) {
            draft.content().write("Subject: x\r\n\r\nbody\r\n".getBytes());
            draft.commit(new Envelope(mailbox(sender), List.of(Recipient.of(mailbox("bob@example.net"))),
                    Envelope.BodyType.SEVEN_BIT, false, null, null, "client.example", "192.0.2.1", null, false,
                    Instant.now(), requireTls, tlsOptional));
            return draft.id();
        }
    }

    /** A message must not drive the operator's terminal: ESC, CR, BEL and C1 controls are shown escaped. */
    @Test
    void showEscapesControlCharactersFromTheMessageAndEnvelope() throws Exception {
        QueueId id;
        try (Spool.Draft draft = new FileSpool(data()).create()) {
            draft.content().write(("Subject: \u001b]0;owned\u0007\u001b[2J\u009b31mred\r\n"
                    + "X-Folded: a\r\n\tb\u202ec\r\n\r\nbody\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            draft.commit(new Envelope(new Address("\"a\u001b[8m\"", Domain.of("example.org")),
                    List.of(Recipient.of(mailbox("bob@example.net"))), Envelope.BodyType.EIGHT_BIT_MIME, true,
                    Envelope.Ret.HDRS, "ENV\u001bc", "client\u001b[1A.example", "192.0.2.1", null, Instant.now()));
            id = draft.id();
        }
        for (String command : List.of("show", "list")) {
            Run run = command.equals("show") ? run("queue", "show", id.value()) : run("queue", "list");
            assertThat(run.exit()).isZero();
            assertThat(run.out().codePoints().filter(c -> c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f && c < 0xa0
                    || c == 0x202e)).as(command).isEmpty();
        }
        Run show = run("queue", "show", id.value());
        assertThat(show.out()).contains("sender:       <\"a\\x1b[8m\"@example.org>", "envid=ENV\\x1bc",
                "client:       client\\x1b[1A.example [192.0.2.1]",
                "    Subject: \\x1b]0;owned\\x07\\x1b[2J\\x9b31mred", "    \tb\\x{202E}c");
    }

    @Test
    void withoutAServerTheCommandsEditTheSpool() throws Exception {
        FileSpool spool = new FileSpool(data());
        QueueId id = commit(spool, "alice@example.org", "bob@example.net");
        QueueId other = commit(spool, "alice@example.org", "carol@example.net");

        assertThat(run("queue", "hold", id.value(), "--reason", "suspicious").out()).isEqualTo("held " + id + "\n");
        assertThat(spool.hold(id)).hasValueSatisfying(h -> assertThat(h.reason()).isEqualTo("suspicious"));
        assertThat(run("queue", "list").out()).contains("HELD: suspicious", "1 held");
        assertThat(run("queue", "release", id.value()).out()).isEqualTo("released " + id + "\n");
        assertThat(spool.isHeld(id)).isFalse();

        Run flush = run("queue", "flush");
        assertThat(flush.exit()).isEqualTo(1);
        assertThat(flush.err()).contains("no server is running");

        assertThat(run("queue", "bounce", id.value()).out())
                .isEqualTo("bounced " + id + ": 1 recipient failed with 5.0.0\n");
        assertThat(spool.exists(id)).isFalse();
        List<QueueId> left = spool.committed();
        assertThat(left).hasSize(2).contains(other);
        QueueId notice = left.stream().filter(q -> !q.equals(other)).findFirst().orElseThrow();
        assertThat(spool.load(notice).envelope().sender().isNull()).isTrue();
        assertThat(spool.load(notice).envelope().recipients().get(0).address().toString()).isEqualTo("alice@example.org");

        assertThat(run("queue", "delete", other.value()).out()).isEqualTo("deleted " + other + "\n");
        assertThat(run("queue", "delete", "--all").out()).isEqualTo("deleted 1 message\n");
        assertThat(spool.committed()).isEmpty();
        assertThat(run("queue", "delete", other.value()).err()).isEqualTo("tern: no such message: " + other + "\n");
    }

    @Test
    void aLockedQueueWithoutAnAnsweringServerIsReported() throws Exception {
        QueueId id = commit(new FileSpool(data()), "alice@example.org", "bob@example.net");
        try (SpoolLock lock = SpoolLock.acquire(data())) {
            Run hold = run("queue", "hold", id.value());
            assertThat(hold.exit()).isEqualTo(1);
            assertThat(hold.err()).contains("does not answer");
        }
    }

    @Test
    void withAServerTheCommandsGoThroughItsRunner() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        FileSpool spool = new FileSpool(data());
        QueueRunner runner = new QueueRunner(spool, parcel -> {
            attempts.incrementAndGet();
            return parcel.recipients().stream().map(r -> Outcome.deferred(r, "4.4.1", "timeout", "mx.example.net"))
                    .toList();
        }, new QueueSettings(Duration.ofHours(1), Duration.ofHours(1), Duration.ofDays(1)),
                new SystemDelayScheduler(Clock.systemUTC()), (m, f) -> { });
        try (SpoolLock lock = SpoolLock.acquire(data()); ControlServer control = new ControlServer(data(), runner)) {
            runner.start();
            control.start();
            QueueId id = commit(spool, "alice@example.org", "bob@example.net");
            assertThat(runner.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(attempts.get()).isEqualTo(1);

            assertThat(run("queue", "hold", id.value()).out()).isEqualTo("held " + id + "\n");
            assertThat(spool.isHeld(id)).isTrue();
            assertThat(run("queue", "flush", id.value()).err()).contains("is held: release it first");
            assertThat(run("queue", "release", id.value()).exit()).isZero();
            assertThat(runner.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(attempts.get()).isEqualTo(2);

            assertThat(run("queue", "flush").out()).isEqualTo("flushed: 1 message due now\n");
            assertThat(runner.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(attempts.get()).isEqualTo(3);
            assertThat(run("queue", "list").out()).contains("deferred  <bob@example.net>  4.4.1 timeout (3 attempts)",
                    "next attempt");

            assertThat(run("queue", "delete", id.value()).exit()).isZero();
            assertThat(spool.committed()).isEmpty();
        } finally {
            runner.close();
        }
    }
}
