package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.ListenerSettings;
import dev.tern.config.TernConfig;
import dev.tern.store.FileDirectory;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS (RFC 3207) and implicit TLS (RFC 8314) on real sockets, with the self-signed default certificate. */
class TlsIT {

    @TempDir
    static Path data;
    static Tern tern;

    @BeforeAll
    static void start() throws Exception {
        TernConfig config = TernConfig.defaults("mx.tern.test", data).withListeners(List.of(
                new ListenerSettings("mx", ListenerSettings.Role.MX, "127.0.0.1", 0),
                new ListenerSettings("submissions", ListenerSettings.Role.SUBMISSIONS, "127.0.0.1", 0)));
        new FileDirectory(data, config.domains()).addUser("alice@localhost", "unused");
        tern = Tern.start(config);
    }

    @AfterAll
    static void stop() {
        tern.close();
    }

    @Test
    void startTlsIsOfferedAndStartsTheSessionOver() throws Exception {
        try (SmtpTestClient client = new SmtpTestClient(tern.port("mx"))) {
            client.reply();
            client.command("EHLO c.tern.test");
            assertThat(client.lastReply).contains("250-STARTTLS");
            assertThat(client.command("MAIL FROM:<a@remote.test>")).startsWith("250");
            assertThat(client.command("STARTTLS")).isEqualTo("503 5.5.1 STARTTLS not allowed during a mail transaction");
            assertThat(client.command("RSET")).startsWith("250");
            assertThat(client.command("STARTTLS")).isEqualTo("220 2.0.0 Ready to start TLS");
            client.startTls();
            assertThat(client.tlsProtocol()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(client.command("MAIL FROM:<a@remote.test>")).isEqualTo("503 5.5.1 Send EHLO or HELO first");
            client.lastReply.clear();
            client.command("EHLO c.tern.test");
            assertThat(client.lastReply).doesNotContain("250-STARTTLS");
            assertThat(client.command("STARTTLS")).isEqualTo("503 5.5.1 TLS already active");
        }
    }

    /** CVE-2011-0411: commands sent with STARTTLS in one packet must not be answered inside TLS. */
    @Test
    void commandsInjectedBeforeTheHandshakeAreDiscarded() throws Exception {
        try (SmtpTestClient client = new SmtpTestClient(tern.port("mx"))) {
            client.reply();
            client.command("EHLO c.tern.test");
            client.send("STARTTLS\r\nNOOP\r\n");
            assertThat(client.reply()).isEqualTo("220 2.0.0 Ready to start TLS");
            client.startTls();
            assertThat(client.command("HELP")).startsWith("214 "); // not the 250 of the injected NOOP
        }
    }

    @Test
    void angusSendsOverStartTlsAndTheTraceSaysEsmtps() throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(tern.port("mx")));
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.trust", "*");
        props.put("mail.smtp.ssl.checkserveridentity", "false"); // a self-signed certificate for mx.tern.test
        props.put("mail.smtp.localhost", "client.tern.test");
        Session session = Session.getInstance(props);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("sender@remote.test"));
        m.setRecipients(Message.RecipientType.TO, "alice@localhost");
        m.setSubject("over TLS");
        m.setText("secret\n");
        Transport.send(m);

        Path newDir = data.resolve("mail/localhost/alice/new");
        List<Path> files = List.of();
        for (int i = 0; i < 200 && files.isEmpty(); i++) {
            Thread.sleep(Duration.ofMillis(25));
            files = TernFixture.list(newDir);
        }
        assertThat(files).hasSize(1);
        String stored = Files.readString(files.get(0), StandardCharsets.UTF_8);
        assertThat(stored).containsPattern("\\t\\(using TLSv1\\.[23] with cipher TLS_[A-Z0-9_]+\\)\\r\\n\\tby mx.tern.test \\(Tern\\) with ESMTPS id ");
    }

    @Test
    void implicitTlsGreetsOnlyAfterTheHandshake() throws Exception {
        try (SmtpTestClient client = SmtpTestClient.implicitTls(tern.port("submissions"))) {
            assertThat(client.reply()).isEqualTo("220 mx.tern.test ESMTP Tern");
            assertThat(client.tlsProtocol()).isIn("TLSv1.3", "TLSv1.2");
            client.lastReply.clear();
            client.command("EHLO c.tern.test");
            assertThat(client.lastReply).doesNotContain("250-STARTTLS");
            assertThat(client.command("MAIL FROM:<alice@localhost>")).isEqualTo("530 5.7.0 Authentication required");
        }
    }
}
