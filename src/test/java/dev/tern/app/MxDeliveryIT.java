package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.auth.PasswordHasher;
import dev.tern.auth.StoredPasswords;
import dev.tern.config.TernConfig;
import dev.tern.store.FileDirectory;
import dev.tern.testdns.TestDnsServer;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Tern instances and a DNS server on loopback: alice@a.test submits to instance A, which finds b.test's
 * MX host through DNS and delivers to instance B over opportunistic STARTTLS, which stores it for bob@b.test.
 * B listens on an ephemeral port, so A's {@code [delivery] mx_port} names it; everything else is the
 * production path (MX lookup, address lookup, MX walk, TLS policy "may").
 */
class MxDeliveryIT {

    private static final String PASSWORD = "alice's long password";

    @TempDir
    static Path dir;
    static TestDnsServer dns;
    static Tern a;
    static Tern b;

    @BeforeAll
    static void start() throws Exception {
        dns = TestDnsServer.start();
        dns.add("b.test", "MX", "10 mx.b.test.").add("mx.b.test", "A", "127.0.0.1")
                .add("a.test", "MX", "10 mx.a.test.").add("mx.a.test", "A", "127.0.0.1");
        Path dataA = dir.resolve("a");
        Path dataB = dir.resolve("b");
        new FileDirectory(dataB, List.of("b.test")).addUser("bob@b.test", "unused");
        b = Tern.start(Outbound.load(dir, instance("mx.b.test", "b.test", 25), dataB));

        TernConfig configA = Outbound.load(dir, instance("mx.a.test", "a.test", b.port("mx")) + """
                [[listener]]
                name = "submission"
                role = "submission"
                address = "127.0.0.1"
                port = 0
                """, dataA);
        new FileDirectory(dataA, configA.domains()).addUser("alice@a.test",
                StoredPasswords.derive(new PasswordHasher(), PASSWORD.toCharArray()));
        a = Tern.start(configA);
    }

    private static String instance(String hostname, String domain, int mxPort) {
        return """
                hostname = "%s"
                domains = ["%s"]
                [delivery]
                mx_port = %d
                connect_timeout = "2s"
                command_timeout = "5s"
                [dns]
                servers = ["127.0.0.1:%d"]
                timeout = "1s"
                retries = 0
                [[listener]]
                name = "mx"
                role = "mx"
                address = "127.0.0.1"
                port = 0
                """.formatted(hostname, domain, mxPort, dns.port());
    }

    @AfterAll
    static void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        dns.close();
    }

    @Test
    void aliceReachesBobOnTheOtherServerThroughItsMxRecord() throws Exception {
        try (Outbound.MailLogLines log = new Outbound.MailLogLines()) {
            byte[] sent = sendWithAngus("across the MX");

            String stored = Outbound.awaitMail(b.config().dataDir(), "bob@b.test",
                    m -> m.contains("Subject: across the MX\r\n"), Duration.ofSeconds(20)).orElseThrow();

            List<String> received = traceFields(stored);
            assertThat(received).hasSize(2);
            // B's own, on top: from A (its EHLO name), over the STARTTLS that A's "may" policy took up.
            assertThat(received.get(0)).startsWith("Received: from mx.a.test ([127.0.0.1])")
                    .contains("(using TLSv1.").contains("by mx.b.test (Tern) with ESMTPS id ")
                    .contains("for <bob@b.test>");
            // A's, below it: Angus over STARTTLS with AUTH.
            assertThat(received.get(1)).startsWith("Received: from laptop.a.test ([127.0.0.1])")
                    .contains("by mx.a.test (Tern) with ESMTPSA id ");
            assertThat(stored).startsWith("Return-Path: <alice@a.test>\r\n");
            assertThat(afterTrace(stored)).isEqualTo(new String(sent, StandardCharsets.UTF_8));

            String sentLine = log.await(l -> l.contains("smtp-sent"), Duration.ofSeconds(5)).orElseThrow();
            assertThat(sentLine).containsPattern("relay=mx\\.b\\.test\\[127\\.0\\.0\\.1]:" + b.port("mx"))
                    .containsPattern("tls=TLSv1\\.[23]:TLS_\\w+").contains("accepted=1");
            assertThat(log.await(l -> l.contains("delivered to=<bob@b.test>") && l.contains("where=mx.b.test"),
                    Duration.ofSeconds(5))).isPresent();
        }
        assertThat(Outbound.await(() -> Outbound.tern("queue", "list", "--data", a.config().dataDir().toString())
                .out().contains("queue is empty"), Duration.ofSeconds(5))).as("A's queue empties").isTrue();
    }

    /** Sends as alice over STARTTLS + AUTH PLAIN; returns the exact octets Angus wrote after DATA. */
    private static byte[] sendWithAngus(String subject) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(a.port("submission")));
        props.put("mail.smtp.auth", "true");
        props.put("mail.smtp.auth.mechanisms", "PLAIN");
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.trust", "*");
        props.put("mail.smtp.ssl.checkserveridentity", "false");
        props.put("mail.smtp.localhost", "laptop.a.test");
        Session session = Session.getInstance(props);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("alice@a.test"));
        m.setRecipients(Message.RecipientType.TO, "bob@b.test");
        m.setSubject(subject);
        m.setText("Hello Bob,\r\n.a line starting with a dot\r\n\r\nAlice\r\n");
        m.saveChanges(); // fixes Message-ID and the rest, so the octets below are the ones sent
        ByteArrayOutputStream octets = new ByteArrayOutputStream();
        m.writeTo(octets);
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect("alice@a.test", PASSWORD);
            transport.sendMessage(m, m.getAllRecipients());
        }
        return octets.toByteArray();
    }

    private static final Pattern FIELD = Pattern.compile("([!-9;-~]+):[^\r]*\r\n(?:[ \t][^\r]*\r\n)*");

    /** The Received: fields at the top of the stored message, each with its folded lines. */
    private static List<String> traceFields(String stored) {
        return topFields(stored).stream().filter(f -> f.startsWith("Received:")).toList();
    }

    /** The message after the fields the two servers put on top (Return-Path, Delivered-To, Received). */
    private static String afterTrace(String stored) {
        int end = 0;
        for (String f : topFields(stored)) {
            end += f.length();
        }
        return stored.substring(end);
    }

    private static List<String> topFields(String stored) {
        List<String> out = new java.util.ArrayList<>();
        Matcher m = FIELD.matcher(stored);
        int at = 0;
        while (m.find(at) && m.start() == at
                && List.of("return-path", "delivered-to", "received").contains(m.group(1).toLowerCase())) {
            out.add(m.group());
            at = m.end();
        }
        return out;
    }
}
