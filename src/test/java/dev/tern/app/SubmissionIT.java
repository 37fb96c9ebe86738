package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.auth.PasswordHasher;
import dev.tern.auth.StoredPasswords;
import dev.tern.config.ListenerSettings;
import dev.tern.config.TernConfig;
import dev.tern.store.FileDirectory;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Submission (RFC 6409) over STARTTLS and implicit TLS with AUTH, as real clients do it. */
class SubmissionIT {

    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    static Path data;
    static Tern tern;

    @BeforeAll
    static void start() throws Exception {
        TernConfig config = TernConfig.defaults("mx.tern.test", data).withListeners(List.of(
                new ListenerSettings("mx", ListenerSettings.Role.MX, "127.0.0.1", 0),
                new ListenerSettings("submission", ListenerSettings.Role.SUBMISSION, "127.0.0.1", 0),
                new ListenerSettings("submissions", ListenerSettings.Role.SUBMISSIONS, "127.0.0.1", 0)));
        FileDirectory directory = new FileDirectory(data, config.domains());
        directory.addUser("alice@localhost", StoredPasswords.derive(new PasswordHasher(), PASSWORD.toCharArray()));
        directory.addUser("bob@localhost", StoredPasswords.derive(new PasswordHasher(), "bobs password".toCharArray()));
        tern = Tern.start(config);
    }

    @AfterAll
    static void stop() {
        tern.close();
    }

    private static Properties angus(String listener, String mechanism) {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(tern.port(listener)));
        props.put("mail.smtp.auth", "true");
        props.put("mail.smtp.auth.mechanisms", mechanism);
        props.put("mail.smtp.ssl.trust", "*");
        props.put("mail.smtp.ssl.checkserveridentity", "false"); // the self-signed default certificate
        props.put("mail.smtp.localhost", "laptop.tern.test");
        return props;
    }

    private static void sendAsAlice(Properties props, String subject) throws Exception {
        Session session = Session.getInstance(props);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("alice@localhost"));
        m.setRecipients(Message.RecipientType.TO, "bob@localhost");
        m.setSubject(subject);
        m.setText("Hello Bob.\n");
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect("alice@localhost", PASSWORD);
            transport.sendMessage(m, m.getAllRecipients());
        }
    }

    private static String awaitBobsMessage(String subject) throws Exception {
        Path newDir = data.resolve("mail/localhost/bob/new");
        for (int i = 0; i < 400; i++) {
            for (Path file : TernFixture.list(newDir)) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                if (text.contains("Subject: " + subject + "\r\n")) {
                    return text;
                }
            }
            Thread.sleep(Duration.ofMillis(25));
        }
        throw new AssertionError("no message with subject " + subject);
    }

    @Test
    void angusStartTlsWithAuthPlain() throws Exception {
        Properties props = angus("submission", "PLAIN");
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        sendAsAlice(props, "starttls plain");

        String stored = awaitBobsMessage("starttls plain");
        assertThat(stored).contains(" (Tern) with ESMTPSA id ").contains("Return-Path: <alice@localhost>");
    }

    @Test
    void angusStartTlsWithAuthLogin() throws Exception {
        Properties props = angus("submission", "LOGIN");
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        sendAsAlice(props, "starttls login");

        assertThat(awaitBobsMessage("starttls login")).contains("with ESMTPSA");
    }

    @Test
    void angusOverImplicitTls() throws Exception {
        Properties props = angus("submissions", "PLAIN");
        props.put("mail.smtp.ssl.enable", "true");
        sendAsAlice(props, "implicit tls");

        assertThat(awaitBobsMessage("implicit tls")).contains("with ESMTPSA");
    }

    /** The seed's own session: STARTTLS, EHLO, AUTH LOGIN with Base64 user and password, 235. */
    @Test
    void theSeedSessionByHand() throws Exception {
        String b64 = "";
        try (SmtpTestClient client = new SmtpTestClient(tern.port("submission"))) {
            client.reply();
            client.command("EHLO laptop.tern.test");
            assertThat(client.command("AUTH LOGIN")).isEqualTo("538 5.7.11 Encryption required for requested authentication mechanism");
            assertThat(client.command("STARTTLS")).startsWith("220 ");
            client.startTls();
            client.lastReply.clear();
            client.command("EHLO laptop.tern.test");
            assertThat(client.lastReply).contains("250-AUTH SCRAM-SHA-256 PLAIN LOGIN");
            assertThat(client.command("AUTH LOGIN")).isEqualTo("334 VXNlcm5hbWU6");
            assertThat(client.command(base64("alice@localhost"))).isEqualTo("334 UGFzc3dvcmQ6");
            assertThat(client.command(base64(PASSWORD))).isEqualTo("235 2.7.0 Authentication successful");
            assertThat(client.command("MAIL FROM:<bob@localhost>")).startsWith("553 5.7.1");
            assertThat(client.command("MAIL FROM:<alice@localhost>")).startsWith("250 ");
        }
    }

    @Test
    void scramSha256ExchangeByHand() throws Exception {
        try (SmtpTestClient client = SmtpTestClient.implicitTls(tern.port("submissions"))) {
            client.reply();
            client.command("EHLO laptop.tern.test");
            ScramClient scram = new ScramClient("alice@localhost", PASSWORD, "fyko+d2lbbFgONRv9qkxdawL");
            String serverFirst = client.command("AUTH SCRAM-SHA-256 " + base64(scram.clientFirst()));
            assertThat(serverFirst).startsWith("334 ");
            String serverFinal = client.command(base64(scram.clientFinal(decode(serverFirst.substring(4)))));
            assertThat(serverFinal).startsWith("334 ");
            assertThat(scram.verifyServerFinal(decode(serverFinal.substring(4)))).isTrue();
            assertThat(client.command("")).isEqualTo("235 2.7.0 Authentication successful");
        }
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() throws Exception {
        try (SmtpTestClient client = SmtpTestClient.implicitTls(tern.port("submissions"))) {
            client.reply();
            client.command("EHLO laptop.tern.test");
            String wrong = client.command("AUTH PLAIN " + base64("\0alice@localhost\0nope"));
            String unknown = client.command("AUTH PLAIN " + base64("\0mallory@localhost\0nope"));
            assertThat(wrong).isEqualTo("535 5.7.8 Authentication credentials invalid").isEqualTo(unknown);
        }
    }

    /** The seed's tool itself: openssl s_client -starttls smtp, as an operator would test the port. */
    @Test
    void opensslStartTlsSession() throws Exception {
        Process openssl = new ProcessBuilder("openssl", "s_client", "-starttls", "smtp", "-crlf", "-quiet",
                "-connect", "127.0.0.1:" + tern.port("submission")).redirectErrorStream(true).start();
        try {
            OutputStream in = openssl.getOutputStream();
            BufferedReader out = new BufferedReader(new InputStreamReader(openssl.getInputStream(), StandardCharsets.UTF_8));
            List<String> seen = new ArrayList<>();
            in.write(("EHLO laptop.tern.test\nAUTH LOGIN\n" + base64("alice@localhost") + "\n" + base64(PASSWORD)
                    + "\nQUIT\n").getBytes(StandardCharsets.US_ASCII));
            in.flush();
            String line;
            while ((line = out.readLine()) != null) {
                seen.add(line);
                if (line.startsWith("221")) {
                    break;
                }
            }
            assertThat(seen).contains("235 2.7.0 Authentication successful");
        } finally {
            openssl.destroy();
            openssl.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
