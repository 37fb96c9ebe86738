package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.auth.PasswordHasher;
import dev.tern.auth.StoredPasswords;
import dev.tern.config.ListenerSettings;
import dev.tern.config.RulesReader;
import dev.tern.config.TernConfig;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.queue.FileSpool;
import dev.tern.store.FileDirectory;
import dev.tern.testlog.MailLogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * REQUIRETLS (RFC 8689) on real sockets: not offered in clear text and refused there, offered once STARTTLS is done
 * and on the implicit-TLS listener, and the message then committed to the real spool with the flag. Mail for
 * {@code held@localhost} is held by a rule, so its queue file can be read back as the server wrote it.
 */
class RequireTlsIT {

    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    static Path data;
    static Tern tern;

    @BeforeAll
    static void start() throws Exception {
        Path rules = data.resolve("rules.toml");
        Files.writeString(rules, "[[rule]]\nname = \"keep\"\nrecipient = \"held@localhost\"\naction = \"hold\"\n");
        TernConfig config = TernConfig.defaults("mx.tern.test", data).withListeners(List.of(
                new ListenerSettings("mx", ListenerSettings.Role.MX, "127.0.0.1", 0),
                new ListenerSettings("submissions", ListenerSettings.Role.SUBMISSIONS, "127.0.0.1", 0)))
                .withRules(RulesReader.load(rules));
        FileDirectory directory = new FileDirectory(data, config.domains());
        directory.addUser("alice@localhost", StoredPasswords.derive(new PasswordHasher(), PASSWORD.toCharArray()));
        directory.addUser("held@localhost", StoredPasswords.derive(new PasswordHasher(), PASSWORD.toCharArray()));
        tern = Tern.start(config);
    }

    @AfterAll
    static void stop() {
        tern.close();
    }

    @Test
    void offeredAndTakenOnlyOnceStartTlsIsDone() throws Exception {
        List<QueueId> before = FileSpool.shared(data).committed();
        try (MailLogCapture log = new MailLogCapture();
             SmtpTestClient client = new SmtpTestClient(tern.port("mx"))) {
            client.reply();
            client.command("EHLO c.tern.test");
            assertThat(client.lastReply).contains("250-STARTTLS").noneMatch(l -> l.contains("REQUIRETLS"));
            assertThat(client.command("MAIL FROM:<a@remote.test> REQUIRETLS"))
                    .isEqualTo("530 5.7.10 REQUIRETLS needs a TLS session: issue STARTTLS first (RFC 8689 §2)");
            assertThat(client.command("STARTTLS")).startsWith("220");
            client.startTls();
            client.lastReply.clear();
            client.command("EHLO c.tern.test");
            assertThat(client.lastReply).contains("250-REQUIRETLS");
            assertThat(client.command("MAIL FROM:<a@remote.test> REQUIRETLS")).startsWith("250 2.1.0");
            assertThat(client.command("RCPT TO:<held@localhost>")).startsWith("250");
            assertThat(client.command("DATA")).startsWith("354");
            client.send("Subject: secret\r\nTLS-Required: No\r\n\r\nfor your eyes only\r\n.\r\n");
            assertThat(client.reply()).startsWith("250 2.0.0");
            assertThat(log.lines()).anyMatch(l -> l.contains("accepted") && l.contains(" requiretls=yes")
                    && !l.contains("tls-required="));
        }
        Envelope stored = onlyNew(before);
        assertThat(stored.requireTls()).isTrue();
        assertThat(stored.tlsOptional()).as("RFC 8689 §4.1: the header is ignored under REQUIRETLS").isFalse();
    }

    @Test
    void offeredOnTheImplicitTlsListenerToAnAuthenticatedUser() throws Exception {
        List<QueueId> before = FileSpool.shared(data).committed();
        try (SmtpTestClient client = SmtpTestClient.implicitTls(tern.port("submissions"))) {
            client.reply();
            client.command("EHLO laptop.tern.test");
            assertThat(client.lastReply).contains("250-REQUIRETLS");
            String plain = Base64.getEncoder().encodeToString(("\0alice@localhost\0" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(client.command("AUTH PLAIN " + plain)).startsWith("235");
            assertThat(client.command("MAIL FROM:<alice@localhost> REQUIRETLS")).startsWith("250 2.1.0");
            assertThat(client.command("RCPT TO:<held@localhost>")).startsWith("250");
            assertThat(client.command("DATA")).startsWith("354");
            client.send("Subject: s\r\n\r\nx\r\n.\r\n");
            assertThat(client.reply()).startsWith("250 2.0.0");
        }
        assertThat(onlyNew(before).requireTls()).isTrue();
    }

    /** The one message committed since {@code before}, as its queue file says. */
    private static Envelope onlyNew(List<QueueId> before) throws Exception {
        FileSpool spool = FileSpool.shared(data);
        List<QueueId> added = new ArrayList<>(spool.committed());
        added.removeAll(before);
        assertThat(added).hasSize(1);
        assertThat(spool.hold(added.get(0))).as("held by the rule").isPresent();
        return spool.load(added.get(0)).envelope();
    }
}
