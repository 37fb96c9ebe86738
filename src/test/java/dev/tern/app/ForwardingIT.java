package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.TernConfig;
import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.srs.Srs;
import dev.tern.store.FileDirectory;
import dev.tern.testdns.TestDnsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forwarding between two Terns and a DNS server on loopback. A (a.test) has aliases that forward to b.test and
 * {@code [srs]} on; B (b.test, and example.test where the original sender lives) checks SPF, DKIM and DMARC of
 * what arrives. A message signed by example.test, sent to A's alias, reaches B with the envelope sender
 * rewritten into a.test (so B's SPF check passes for a.test) and its DKIM signature still valid by B's
 * verifier. A forward B refuses comes back to A as a bounce to the SRS address, and A sends it on to the
 * original sender. At RCPT, A refuses forged SRS addresses and full mailboxes.
 */
class ForwardingIT {

    private static final String SECRET = "forwarding-it-secret-0123456789";
    private static final String SIGNED = "signed/plain.rsa2048.relaxed-relaxed.eml";

    @TempDir
    static Path dir;
    static TestDnsServer dns;
    static Tern a;
    static Tern b;

    @BeforeAll
    static void start() throws Exception {
        dns = TestDnsServer.start();
        String key = AuthenticationIT.text("keys/rsa2048.dns").strip();
        dns.add("b.test", "MX", "10 mx.b.test.").add("mx.b.test", "A", "127.0.0.1")
                .add("example.test", "MX", "10 mx.b.test.").add("a.test", "MX", "10 mx.a.test.")
                .add("mx.a.test", "A", "127.0.0.1")
                .addTxt("a.test", "v=spf1 ip4:127.0.0.1 -all")
                // the original sender's SPF allows only its own servers: a forward with its address would fail
                .addTxt("example.test", "v=spf1 ip4:192.0.2.0/24 -all")
                .addTxt("rsa2048._domainkey.example.test", chunks(key));
        Path dataA = dir.resolve("a");
        Path dataB = dir.resolve("b");
        FileDirectory directoryB = new FileDirectory(dataB, List.of("b.test", "example.test"));
        directoryB.addUser("bob@b.test", "unused");
        directoryB.addUser("alice@example.test", "unused");
        b = Tern.start(Outbound.load(dir, instance("mx.b.test", "\"b.test\", \"example.test\"", 25, ""), dataB));

        Path secret = dir.resolve("srs.secret");
        Files.writeString(secret, SECRET + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        TernConfig configA = Outbound.load(dir, instance("mx.a.test", "\"a.test\"", b.port("mx"), """
                [srs]
                secret_file = "%s"
                """.formatted(secret)), dataA);
        FileDirectory directoryA = new FileDirectory(dataA, configA.domains());
        directoryA.addUser("carol@a.test", "unused");
        directoryA.addUser("full@a.test", "unused");
        directoryA.addUser("small@a.test", "unused");
        directoryA.addAlias("list@a.test", List.of("carol@a.test", "bob@b.test"));
        directoryA.addAlias("gone@a.test", List.of("nobody@b.test"));
        directoryA.setQuota("full@a.test", OptionalLong.of(1000));
        directoryA.setQuota("small@a.test", OptionalLong.of(100));
        Path fullBox = dataA.resolve("mail/a.test/full");
        for (String sub : List.of("tmp", "new", "cur")) {
            Files.createDirectories(fullBox.resolve(sub));
        }
        Files.writeString(fullBox.resolve("maildirsize"), "1000S\n1200 3\n"); // as Dovecot left it: over quota
        a = Tern.start(configA);
    }

    private static String instance(String hostname, String domains, int mxPort, String extra) {
        return """
                hostname = "%s"
                domains = [%s]
                [delivery]
                mx_port = %d
                connect_timeout = "2s"
                command_timeout = "5s"
                [dns]
                servers = ["127.0.0.1:%d"]
                timeout = "1s"
                retries = 0
                [mailauth]
                check_loopback = true
                [[listener]]
                name = "mx"
                role = "mx"
                address = "127.0.0.1"
                port = 0
                """.formatted(hostname, domains, mxPort, dns.port()) + extra;
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
    void aSignedMessageIsForwardedWithAnSrsSenderAndItsSignatureStillVerifies() throws Exception {
        String message = AuthenticationIT.text(SIGNED);
        assertThat(send(a.port("mx"), "alice@example.test", "list@a.test", message)).startsWith("250 ");

        String atB = Outbound.awaitMail(b.config().dataDir(), "bob@b.test",
                m -> m.contains("DKIM test vector: plain"), Duration.ofSeconds(20)).orElseThrow();
        String local = Outbound.awaitMail(a.config().dataDir(), "carol@a.test",
                m -> m.contains("DKIM test vector: plain"), Duration.ofSeconds(5)).orElseThrow();

        assertThat(local).startsWith("Return-Path: <alice@example.test>\r\n");
        String returnPath = atB.substring("Return-Path: <".length(), atB.indexOf(">\r\n"));
        assertThat(returnPath).startsWith("SRS0=").endsWith("=example.test=alice@a.test");
        Srs srs = new Srs(List.of(SECRET), Domain.of("a.test"), 21, Clock.systemUTC());
        assertThat(srs.reverse(Address.parseMailbox(returnPath, true), true))
                .isEqualTo(new Srs.Valid(Address.parseMailbox("alice@example.test", true)));
        // B's own checks of the forwarded copy: SPF of the rewritten sender, and the untouched signature
        assertThat(atB).containsPattern("Authentication-Results: mx\\.b\\.test;\r\n"
                + "\tspf=pass smtp\\.mailfrom=\"?SRS0=[^;]+@a\\.test\"?;\r\n"
                + "\tdkim=pass header\\.d=example\\.test header\\.s=rsa2048 ");
        assertThat(atB).endsWith(message);
    }

    @Test
    void aForwardTheOtherServerRefusesBouncesBackToTheOriginalSender() throws Exception {
        String message = "From: alice@example.test\r\nTo: gone@a.test\r\nSubject: to a gone forward\r\n\r\nhi\r\n";
        assertThat(send(a.port("mx"), "alice@example.test", "gone@a.test", message)).startsWith("250 ");

        String bounce = Outbound.awaitMail(b.config().dataDir(), "alice@example.test",
                m -> m.contains("multipart/report"), Duration.ofSeconds(30)).orElseThrow();

        assertThat(bounce).startsWith("Return-Path: <>\r\n");
        Outbound.Dsn dsn = Outbound.parseDsn(bounce);
        assertThat(dsn.field(0, "Final-Recipient")).contains("nobody@b.test");
        assertThat(dsn.field(0, "Original-Recipient")).contains("gone@a.test");
        assertThat(dsn.field(0, "Status")).isEqualTo("5.1.1");
        assertThat(dsn.returned()).contains("Subject: to a gone forward");
    }

    @Test
    void atRcptForgedSrsAddressesAndFullMailboxesAreRefused() throws Exception {
        Srs srs = new Srs(List.of(SECRET), Domain.of("a.test"), 21, Clock.systemUTC());
        String valid = srs.forward(Address.parseMailbox("alice@example.test", true)).toString();
        String forged = srs.forward(Address.parseMailbox("mallory@example.test", true)).toString()
                .replace("=mallory@", "=alice@");
        List<String> replies = new ArrayList<>();
        try (SmtpTestClient client = new SmtpTestClient(a.port("mx"))) {
            client.reply();
            client.command("EHLO client.example.test");
            client.command("MAIL FROM:<>");
            for (String rcpt : List.of(valid, forged, "full@a.test", "small@a.test")) {
                replies.add(client.command("RCPT TO:<" + rcpt + ">"));
            }
            client.command("QUIT");
        }
        assertThat(replies).containsExactly("250 2.1.5 Recipient OK", "550 5.1.1 Invalid SRS address",
                "452 4.2.2 Mailbox full", "250 2.1.5 Recipient OK");
    }

    @Test
    void aMessageThatWouldPassTheQuotaIsDeferredForThatRecipientOnly() throws Exception {
        String message = "From: alice@example.test\r\nSubject: too big for small\r\n\r\n" + "x".repeat(300) + "\r\n";
        try (Outbound.MailLogLines log = new Outbound.MailLogLines()) {
            assertThat(send(a.port("mx"), "alice@example.test", "small@a.test", message)).startsWith("250 ");

            assertThat(log.await(l -> l.contains("deferred to=<small@a.test>") && l.contains("status=4.2.2")
                    && l.contains("mailbox full"), Duration.ofSeconds(10))).isPresent();
        }
        assertThat(Outbound.mails(a.config().dataDir().resolve("mail/a.test/small/new"))).isEmpty();
    }

    private static String send(int port, String from, String to, String message) throws Exception {
        String body = message.endsWith("\r\n") ? message.substring(0, message.length() - 2) : message;
        try (SmtpTestClient client = new SmtpTestClient(port)) {
            client.reply();
            client.command("EHLO client.example.test");
            String reply = client.sendMessage(from, to, body.replaceAll("(?m)^\\.", ".."));
            client.command("QUIT");
            return reply;
        }
    }

    private static String[] chunks(String value) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < value.length(); i += 255) {
            out.add(value.substring(i, Math.min(value.length(), i + 255)));
        }
        return out.toArray(String[]::new);
    }
}
