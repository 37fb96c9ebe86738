package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.SmtpLimits;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real client (Jakarta Mail / Angus) talking to the real server; the Maildir files are checked byte for byte. */
class ReceiveIT {

    @TempDir
    static Path data;
    static TernFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = TernFixture.start(data, SmtpLimits.defaults());
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private Session client() {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(fixture.port()));
        props.put("mail.smtp.localhost", "client.tern.test");
        props.put("mail.mime.allowutf8", "true");
        props.put("mail.smtp.allow8bitmime", "true");
        return Session.getInstance(props);
    }

    /** Sends without letting the transport regenerate headers; returns the bytes it sent (before dot-stuffing). */
    private byte[] send(MimeMessage message) throws Exception {
        message.setSentDate(new java.util.Date());
        message.saveChanges();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var crlf = new org.eclipse.angus.mail.util.CRLFOutputStream(bytes)) {
            message.writeTo(crlf); // the form SMTP puts on the wire: every line ends in CRLF
        }
        try (Transport transport = client().getTransport("smtp")) {
            transport.connect();
            transport.sendMessage(message, message.getAllRecipients());
        }
        return bytes.toByteArray();
    }

    private Path delivered(String domain, String local, int before) throws Exception {
        List<Path> files = fixture.awaitMessages(domain, local, before + 1, Duration.ofSeconds(20));
        assertThat(files).hasSize(before + 1);
        return files.get(files.size() - 1);
    }

    private static int count(String domain, String local) throws Exception {
        return TernFixture.list(data.resolve("mail").resolve(domain).resolve(local).resolve("new")).size();
    }

    /**
     * The stored file is our trace lines, then exactly the bytes the client sent. The client is on loopback,
     * which the authentication checks leave out by default ({@code check_loopback}), so no
     * Authentication-Results field is added here (AuthenticationIT covers it).
     */
    private static void assertStoredAs(Path file, byte[] sent, String recipient) throws Exception {
        byte[] stored = Files.readAllBytes(file);
        String text = new String(stored, StandardCharsets.UTF_8);
        assertThat(text).startsWith("Return-Path: <sender@remote.test>\r\nDelivered-To: " + recipient + "\r\n"
                + "Received: from client.tern.test ([127.0.0.1])\r\n\tby mx.tern.test (Tern) with ");
        int headerEnd = text.indexOf("\r\n", text.indexOf("; ", text.indexOf("Received: "))) + 2;
        byte[] rest = java.util.Arrays.copyOfRange(stored, new String(text.substring(0, headerEnd)).getBytes(StandardCharsets.UTF_8).length, stored.length);
        assertThat(rest).isEqualTo(sent);
    }

    @Test
    void plainTextMessage() throws Exception {
        int before = count("localhost", "alice");
        MimeMessage m = new MimeMessage(client());
        m.setFrom(new InternetAddress("sender@remote.test"));
        m.setRecipients(Message.RecipientType.TO, "alice@localhost");
        m.setSubject("plain");
        m.setText("Hello Alice.\n.\n..leading dots survive\n");
        byte[] sent = send(m);

        assertStoredAs(delivered("localhost", "alice", before), sent, "alice@localhost");
    }

    @Test
    void eightBitMessage() throws Exception {
        int before = count("localhost", "alice");
        MimeMessage m = new MimeMessage(client());
        m.setFrom(new InternetAddress("sender@remote.test"));
        m.setRecipients(Message.RecipientType.TO, "alice@localhost");
        m.setSubject("8bit", "UTF-8");
        m.setText("Grüße aus Köln, naïve café.\n", "UTF-8");
        m.setHeader("Content-Transfer-Encoding", "8bit");
        byte[] sent = send(m);

        Path file = delivered("localhost", "alice", before);
        assertStoredAs(file, sent, "alice@localhost");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("Grüße aus Köln");
    }

    @Test
    void utf8AddressesAreKeptAsGiven() throws Exception {
        int before = count("example.test", "jörg");
        MimeMessage m = new MimeMessage(client());
        m.setFrom(new InternetAddress("sender@remote.test"));
        m.setRecipients(Message.RecipientType.TO, "jörg@example.test");
        m.setSubject("utf8 address", "UTF-8");
        m.setText("Hallo Jörg.\n", "UTF-8");
        m.setHeader("Content-Transfer-Encoding", "8bit"); // else the client re-encodes after we took its bytes
        byte[] sent = send(m);

        Path file = delivered("example.test", "jörg", before);
        assertStoredAs(file, sent, "jörg@example.test");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("with UTF8SMTP").contains("for <jörg@example.test>");
    }

    @Test
    void tenMegabyteAttachment() throws Exception {
        int before = count("example.test", "bob");
        byte[] payload = new byte[10 * 1024 * 1024];
        new Random(42).nextBytes(payload);
        MimeMessage m = new MimeMessage(client());
        m.setFrom(new InternetAddress("sender@remote.test"));
        m.setRecipients(Message.RecipientType.TO, "bob@example.test");
        m.setSubject("attachment");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("See attached.\n");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(payload, "application/octet-stream")));
        attachment.setFileName("random.bin");
        m.setContent(new MimeMultipart(text, attachment));
        byte[] sent = send(m);

        Path file = delivered("example.test", "bob", before);
        assertStoredAs(file, sent, "bob@example.test");
        MimeMessage stored = new MimeMessage(client(), Files.newInputStream(file));
        MimeMultipart parts = (MimeMultipart) stored.getContent();
        assertThat(((MimeBodyPart) parts.getBodyPart(1)).getInputStream().readAllBytes()).isEqualTo(payload);
    }

    /** The CLI is another process writing the directory files; the running server sees the change. */
    @Test
    void aUserAddedWhileRunningReceivesMail() throws Exception {
        try (SmtpTestClient client = new SmtpTestClient(fixture.port())) {
            client.reply();
            client.command("EHLO c.tern.test");
            client.command("MAIL FROM:<sender@remote.test>");
            assertThat(client.command("RCPT TO:<carol@localhost>")).startsWith("550 5.1.1");

            new dev.tern.store.FileDirectory(data, List.of("localhost")).addUser("carol@localhost", "unused");

            String reply = "";
            for (int i = 0; i < 50 && !reply.startsWith("250"); i++) {
                Thread.sleep(100);
                reply = client.command("RCPT TO:<carol@localhost>");
            }
            assertThat(reply).isEqualTo("250 2.1.5 Recipient OK");
        }
    }
}
