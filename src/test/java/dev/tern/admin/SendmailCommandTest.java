package dev.tern.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.QueueSettings;
import dev.tern.control.ControlServer;
import dev.tern.delivery.Outcome;
import dev.tern.delivery.Parcel;
import dev.tern.mail.QueueId;
import dev.tern.queue.FileSpool;
import dev.tern.queue.QueueRunner;
import dev.tern.queue.SpoolLock;
import dev.tern.queue.StoredMessage;
import dev.tern.queue.SystemDelayScheduler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendmailCommandTest {

    @TempDir
    Path dir;

    private QueueCommandTest.Run sendmail(String stdin, String... args) throws IOException {
        Path config = dir.resolve("tern.toml");
        Files.writeString(config, "hostname = \"mx.test\"\ndomains = [\"local.test\"]\ndata_dir = \"data\"\n");
        List<String> all = new ArrayList<>(List.of("sendmail", "--config", config.toString()));
        all.addAll(List.of(args));
        return QueueCommandTest.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                all.toArray(String[]::new));
    }

    private StoredMessage only() throws IOException {
        FileSpool spool = FileSpool.shared(dir.resolve("data"));
        List<QueueId> ids = spool.committed();
        assertThat(ids).hasSize(1);
        return spool.load(ids.get(0));
    }

    private static String content(StoredMessage m) throws IOException {
        try (InputStream in = m.content().open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void dashTTakesToCcAndBccAndRemovesBcc() throws Exception {
        QueueCommandTest.Run run = sendmail("""
                To: Bob <bob@example.net>, "Smith, Carol" <carol@example.net>
                Cc: team: dave@example.net, (a comment) erin@example.net;
                Bcc: frank@example.net,
                 grace@example.net
                Subject: hello

                Hi all.
                """, "-t", "-i");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEmpty();
        StoredMessage m = only();
        assertThat(m.envelope().recipients()).extracting(r -> r.address().toString()).containsExactly(
                "bob@example.net", "carol@example.net", "dave@example.net", "erin@example.net", "frank@example.net",
                "grace@example.net");
        assertThat(m.envelope().sender().toString()).isEqualTo(System.getProperty("user.name") + "@local.test");
        String text = content(m);
        assertThat(text).doesNotContain("Bcc", "frank", "grace").contains("Subject: hello\r\n", "\r\n\r\nHi all.\r\n")
                .startsWith("Received: by mx.test (Tern sendmail, from user ");
        assertThat(text).contains("\r\nFrom: " + System.getProperty("user.name") + "@local.test\r\n", "\r\nDate: ",
                "\r\nMessage-ID: <" + m.id() + "@mx.test>\r\n");
        assertThat(text.replace("\r\n", "")).doesNotContain("\n");
    }

    @Test
    void withoutDashIALoneDotEndsTheInputAndWithItItIsContent() throws Exception {
        assertThat(sendmail("Subject: a\n\nline\n.\nafter\n", "bob@example.net").exit()).isZero();
        assertThat(content(only())).endsWith("\r\nline\r\n").doesNotContain("after");
        Files.list(dir.resolve("data/spool")).forEach(p -> p.toFile().delete());

        assertThat(sendmail("Subject: a\n\nline\n.\nafter\n", "-oi", "bob@example.net").exit()).isZero();
        assertThat(content(only())).endsWith("\r\nline\r\n.\r\nafter\r\n");
    }

    /** RFC 8689 §4.3: a program asks that TLS not be required with the header field; the queue keeps the request. */
    @Test
    void tlsRequiredNoInTheHeaderTagsTheMessage() throws Exception {
        assertThat(sendmail("Subject: cert\nTLS-Required:\n  no\n\nYour certificate expired.\n", "bob").exit())
                .isZero();
        StoredMessage tagged = only();
        assertThat(tagged.envelope().tlsOptional()).isTrue();
        assertThat(tagged.envelope().requireTls()).isFalse();
        assertThat(content(tagged)).contains("\r\nTLS-Required:\r\n  no\r\n");
        Files.list(dir.resolve("data/spool")).forEach(p -> p.toFile().delete());

        assertThat(sendmail("Subject: cert\n\nTLS-Required: No\n", "bob").exit()).isZero();
        assertThat(only().envelope().tlsOptional()).as("in the body it asks nothing").isFalse();
    }

    @Test
    void senderNameAndExistingHeadersAreKept() throws Exception {
        QueueCommandTest.Run run = sendmail("From: Alice <alice@example.org>\r\nDate: Sat, 1 Mar 2025 10:00:00 +0000\r\n"
                + "Message-ID: <given@example.org>\r\n\r\nbody\r\n", "-f", "bounces@example.org", "-FCron Daemon", "bob");
        assertThat(run.exit()).as(run.err()).isZero();
        StoredMessage m = only();
        assertThat(m.envelope().sender().toString()).isEqualTo("bounces@example.org");
        assertThat(m.envelope().recipients().get(0).address().toString()).isEqualTo("bob@local.test");
        String text = content(m);
        assertThat(text).contains("From: Alice <alice@example.org>\r\n", "Message-ID: <given@example.org>\r\n")
                .doesNotContain("Cron Daemon");
        assertThat(text.split("\r\nDate: ", -1)).hasSize(2);
    }

    @Test
    void errorsExitNonZeroWithAMessage() throws Exception {
        QueueCommandTest.Run none = sendmail("Subject: x\n\nbody\n");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("no recipients");
        QueueCommandTest.Run bad = sendmail("Subject: x\n\nbody\n", "bob@@example.net");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("not a valid address");
        assertThat(Files.exists(dir.resolve("data/spool")) ? FileSpool.shared(dir.resolve("data")).committed()
                : List.of()).isEmpty();
    }

    @Test
    void aRunningServerGetsTheMessageAtOnce() throws Exception {
        Path data = dir.resolve("data");
        List<Parcel> delivered = new ArrayList<>();
        FileSpool spool = new FileSpool(data);
        QueueRunner runner = new QueueRunner(spool, parcel -> {
            synchronized (delivered) {
                delivered.add(parcel);
            }
            return parcel.recipients().stream().map(r -> Outcome.delivered(r, "test")).toList();
        }, QueueSettings.defaults(), new SystemDelayScheduler(Clock.systemUTC()), (m, f) -> { });
        try (SpoolLock lock = SpoolLock.acquire(data); ControlServer control = new ControlServer(data, runner)) {
            runner.start();
            control.start();
            QueueCommandTest.Run run = sendmail("Subject: now\n\nbody\n", "bob@example.net");
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.err()).isEmpty();
            assertThat(runner.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(delivered).singleElement().satisfies(p ->
                    assertThat(p.recipients().get(0).address().toString()).isEqualTo("bob@example.net"));
            assertThat(spool.committed()).isEmpty();
        } finally {
            runner.close();
        }
    }
}
