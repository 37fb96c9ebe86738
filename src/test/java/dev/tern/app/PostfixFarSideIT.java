package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.TernConfig;
import dev.tern.store.FileDirectory;
import dev.tern.testdns.TestDnsServer;
import dev.tern.testmta.PostfixPeer;
import dev.tern.testmta.PostfixSettings;
import dev.tern.tls.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Tern delivers by MX to a real Postfix (Debian's package, a private instance on loopback): far.test's MX
 * record names mx.far.test, whose address is 127.0.0.1, and Tern's {@code mx_port} names Postfix's port. Postfix
 * stores bob@far.test's mail in a Maildir and says in its Received field whether TLS was used; its own log shows
 * what each connection did. Tern's TLS policy is {@code [delivery] tls}; the test CA is its {@code ca_file}.
 */
class PostfixFarSideIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    static TestDnsServer dns;
    static Path caFile;
    static Path rightChain;
    static Path rightKey;
    static Path wrongChain;
    static Path wrongKey;

    @BeforeAll
    static void start() throws Exception {
        dns = TestDnsServer.start();
        dns.add("far.test", "MX", "10 mx.far.test.").add("mx.far.test", "A", "127.0.0.1");
        TestPki pki = new TestPki();
        caFile = dir.resolve("ca.pem");
        Files.writeString(caFile, TestPki.pem(pki.ca()), StandardCharsets.US_ASCII);
        rightChain = dir.resolve("right-chain.pem");
        rightKey = dir.resolve("right-key.pem");
        TestPki.write(pki.issue("mx.far.test", List.of("mx.far.test"), false), TestPki.KeyForm.PKCS8,
                rightChain, rightKey);
        // Issued by the same trusted CA, for a name that is not the MX host's: only the name check refuses it.
        wrongChain = dir.resolve("wrong-chain.pem");
        wrongKey = dir.resolve("wrong-key.pem");
        TestPki.write(pki.issue("mx.elsewhere.test", List.of("mx.elsewhere.test"), false), TestPki.KeyForm.PKCS8,
                wrongChain, wrongKey);
    }

    @AfterAll
    static void stop() {
        dns.close();
    }

    private static PostfixSettings farSide() {
        return PostfixSettings.forDomain("far.test", "mx.far.test").withMailbox("bob")
                .withCertificate(rightChain, rightKey);
    }

    @Test
    void verifiedTlsCarriesTheMessageUnchangedAndTheLogNamesPostfixsQueueId() throws Exception {
        try (PostfixPeer postfix = PostfixPeer.start(farSide());
             Outbound.MailLogLines log = new Outbound.MailLogLines();
             Tern tern = startTern("verified", "verify", postfix.port())) {
            String content = message("over verified TLS");
            String id = send(tern, content);

            List<String> stored = postfix.awaitMessages(1, WAIT);
            assertThat(stored).hasSize(1);
            String postfixId = assertArrivedOverTls(stored.get(0), content);

            String sent = log.await(l -> l.startsWith(id + ": smtp-sent"), WAIT).orElseThrow();
            assertThat(sent).contains("relay=mx.far.test[127.0.0.1]:" + postfix.port())
                    .containsPattern("tls=TLSv1\\.[23]:TLS_\\w+").contains("accepted=1")
                    .contains("queued as " + postfixId);
            assertThat(log.await(l -> l.startsWith(id + ": delivered to=<bob@far.test>"), WAIT)).isPresent();
            assertThat(postfix.awaitLog(l -> l.contains(postfixId + ": to=<bob@far.test>, relay=virtual")
                    && l.contains("status=sent (delivered to maildir)"), WAIT)).isPresent();
        }
    }

    @Test
    void aCertificateForAnotherNameDefersUntilPostfixHasTheRightOne() throws Exception {
        try (PostfixPeer postfix = PostfixPeer.start(farSide().withCertificate(wrongChain, wrongKey));
             Outbound.MailLogLines log = new Outbound.MailLogLines();
             Tern tern = startTern("wrong-name", "verify", postfix.port())) {
            String content = message("refused certificate");
            String id = send(tern, content);

            String deferred = log.await(l -> l.startsWith(id + ": deferred to=<bob@far.test>"), WAIT).orElseThrow();
            String where = "mx.far.test[127.0.0.1]:" + postfix.port();
            assertThat(deferred).contains("status=4.7.5").contains("TLS with " + where + " failed")
                    .contains("No subject alternative DNS name matching mx.far.test"); // the JDK's words
            String data = tern.config().dataDir().toString();
            // The mail-log line is written as the attempt ends; the recipient's state reaches the queue just after.
            String expected = "deferred  <bob@far.test>  4.7.5 TLS with " + where + " failed: ";
            Outbound.await(() -> Outbound.tern("queue", "list", "--data", data).out().contains(expected), WAIT);
            assertThat(Outbound.tern("queue", "list", "--data", data).out()).contains(id).contains(expected);
            assertNothingReachedPostfix(postfix);

            postfix.restartWithCertificate(rightChain, rightKey);
            assertThat(Outbound.tern("queue", "flush", id, "--data", data).out()).isEqualTo("flushed " + id + "\n");

            List<String> stored = postfix.awaitMessages(1, WAIT);
            assertThat(stored).hasSize(1);
            String postfixId = assertArrivedOverTls(stored.get(0), content);
            assertThat(log.await(l -> l.startsWith(id + ": smtp-sent") && l.contains("queued as " + postfixId),
                    WAIT)).isPresent();
            assertThat(Outbound.await(() -> !Outbound.tern("queue", "list", "--data", data).out().contains(id),
                    WAIT)).as("Tern's queue lets the message go").isTrue();
        }
    }

    @Test
    void encryptNeverSendsInPlaintextToAServerWithoutStartTls() throws Exception {
        try (PostfixPeer postfix = PostfixPeer.start(farSide())) {
            postfix.restart(farSide().with("smtpd_tls_security_level", "none"));
            try (SmtpTestClient client = new SmtpTestClient(postfix.port())) {
                client.reply();
                client.command("EHLO client.test");
                assertThat(client.lastReply).as("Postfix, restarted, offers no STARTTLS")
                        .anyMatch(l -> l.startsWith("250-mx.far.test")).noneMatch(l -> l.contains("STARTTLS"));
                client.command("QUIT");
            }
            try (Outbound.MailLogLines log = new Outbound.MailLogLines();
                 Tern tern = startTern("encrypt", "encrypt", postfix.port())) {
                String id = send(tern, message("no plaintext"));

                String deferred = log.await(l -> l.startsWith(id + ": deferred to=<bob@far.test>"), WAIT)
                        .orElseThrow();
                assertThat(deferred).contains("status=4.7.5").contains("TLS required but not available: "
                        + "mx.far.test[127.0.0.1]:" + postfix.port() + " does not offer STARTTLS");
                String data = tern.config().dataDir().toString();
                String expected = "deferred  <bob@far.test>  4.7.5 TLS required but not available";
                Outbound.await(() -> Outbound.tern("queue", "list", "--data", data).out().contains(expected), WAIT);
                assertThat(Outbound.tern("queue", "list", "--data", data).out()).contains(expected);
                // The test's own EHLO above and Tern's: both said EHLO, neither got as far as MAIL.
                assertThat(postfix.awaitLog(l -> disconnects(postfix).size() >= 2, WAIT)).isPresent();
                assertNothingReachedPostfix(postfix);
            }
        }
    }

    /** No transaction began (Postfix logs "client=" for each queue file), no MAIL, no stored message. */
    private static void assertNothingReachedPostfix(PostfixPeer postfix) throws Exception {
        assertThat(postfix.awaitLog(l -> l.contains(" disconnect from ") && l.contains(" ehlo="), WAIT))
                .as("Tern's session has ended").isPresent();
        assertThat(postfix.log()).noneMatch(l -> l.contains(": client="));
        assertThat(disconnects(postfix)).noneMatch(l -> l.contains(" mail=") || l.contains(" data="));
        assertThat(postfix.maildirMessages()).isEmpty();
    }

    /** Postfix's summary of each finished session: the commands it was given ("ehlo=1 quit=1 commands=2"). */
    private static List<String> disconnects(PostfixPeer postfix) {
        try {
            return postfix.log().stream().filter(l -> l.contains(" disconnect from ") && l.contains(" ehlo="))
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The stored message is Postfix's trace fields, Tern's Received field, then the message as sent, to the octet
     * (Postfix stores lines with LF alone, as Unix Maildirs do). Returns Postfix's queue id.
     */
    private static String assertArrivedOverTls(String stored, String content) {
        List<String> top = topFields(stored);
        assertThat(top).hasSize(5);
        assertThat(top.get(0)).isEqualTo("Return-Path: <alice@a.test>\n");
        assertThat(top.get(1)).isEqualTo("X-Original-To: bob@far.test\n");
        assertThat(top.get(2)).isEqualTo("Delivered-To: bob@far.test\n");
        String postfixReceived = top.get(3);
        assertThat(postfixReceived).startsWith("Received: from mx.a.test (unknown [127.0.0.1])")
                .containsPattern("\\(using TLSv1\\.[23] with cipher ")
                .contains("by mx.far.test (Postfix) with ESMTPS id ").contains("for <bob@far.test>;");
        assertThat(top.get(4)).startsWith("Received: from client.a.test ").contains("by mx.a.test (Tern)");
        int end = top.stream().mapToInt(String::length).sum();
        assertThat(stored.substring(end)).isEqualTo(content.replace("\r\n", "\n"));
        Matcher id = Pattern.compile("with ESMTPS id (\\w+)").matcher(postfixReceived);
        assertThat(id.find()).isTrue();
        return id.group(1);
    }

    private static final Pattern FIELD = Pattern.compile("([!-9;-~]+):[^\n]*\n(?:[ \t][^\n]*\n)*");
    private static final List<String> TRACE = List.of("return-path", "x-original-to", "delivered-to", "received");

    private static List<String> topFields(String stored) {
        List<String> out = new ArrayList<>();
        Matcher m = FIELD.matcher(stored);
        int at = 0;
        while (m.find(at) && m.start() == at && TRACE.contains(m.group(1).toLowerCase(java.util.Locale.ROOT))) {
            out.add(m.group());
            at = m.end();
        }
        return out;
    }

    /** A message whose octets could be changed on the way: a leading dot, trailing blanks, a tab, a long line. */
    private static String message(String subject) {
        return "From: Alice <alice@a.test>\r\nTo: bob@far.test\r\nSubject: " + subject + "\r\n"
                + "Message-ID: <" + subject.replace(' ', '.') + "@a.test>\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\n"
                + "\r\n"
                + "Hello Bob,\r\n.a line starting with a dot\r\n..two dots\r\n.\r\n"
                + "trailing blanks \t \r\n\tindented\r\n" + "x".repeat(900) + "\r\n\r\nAlice\r\n";
    }

    /** Sends as alice@a.test (relayed: 127.0.0.1 is a trusted network); returns Tern's queue id. */
    private static String send(Tern tern, String content) throws Exception {
        try (SmtpTestClient client = new SmtpTestClient(tern.port("mx"))) {
            client.reply();
            client.command("EHLO client.a.test");
            // Dot-stuffed by hand (RFC 5321 §4.5.2), without the last CRLF, which sendMessage writes before the dot.
            String wire = content.replace("\r\n.", "\r\n..");
            String reply = client.sendMessage("alice@a.test", "bob@far.test", wire.substring(0, wire.length() - 2));
            assertThat(reply).startsWith("250 ");
            client.command("QUIT");
            return reply.replaceAll(".*queued as (\\S+).*", "$1");
        }
    }

    /** Tern for a.test, relaying for 127.0.0.1 by MX to far.test's Postfix under the given TLS policy. */
    private static Tern startTern(String name, String tls, int postfixPort) throws Exception {
        Path data = dir.resolve(name);
        TernConfig config = Outbound.load(dir, """
                hostname = "mx.a.test"
                domains = ["a.test"]
                [[listener]]
                name = "mx"
                role = "mx"
                address = "127.0.0.1"
                port = 0
                [relay]
                trusted_networks = ["127.0.0.1/32"]
                [queue]
                retry_initial = "10m"
                [delivery]
                tls = "%s"
                ca_file = "%s"
                mx_port = %d
                connect_timeout = "2s"
                command_timeout = "5s"
                [dns]
                servers = ["127.0.0.1:%d"]
                timeout = "1s"
                retries = 0
                """.formatted(tls, caFile, postfixPort, dns.port()), data);
        new FileDirectory(data, config.domains()).addUser("alice@a.test", "unused");
        return Tern.start(config);
    }
}
