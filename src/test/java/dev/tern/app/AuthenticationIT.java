package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.auth.PasswordHasher;
import dev.tern.auth.StoredPasswords;
import dev.tern.config.DnsSettings;
import dev.tern.config.ListenerSettings;
import dev.tern.config.TernConfig;
import dev.tern.dns.ResolverSettings;
import dev.tern.dns.DnsjavaResolver;
import dev.tern.policy.dkim.DkimAlgorithm;
import dev.tern.policy.dkim.DkimKey;
import dev.tern.policy.dkim.DkimKeyStore;
import dev.tern.policy.dkim.DkimKeys;
import dev.tern.policy.dkim.DkimResult;
import dev.tern.policy.dkim.DkimSigner;
import dev.tern.policy.dkim.DkimVerifier;
import dev.tern.policy.dkim.KeyLookup;
import dev.tern.store.FileDirectory;
import dev.tern.testdns.TestDnsServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPF, DKIM and DMARC on a real Tern with its DNS served by a loopback DNS server, and DKIM signing of submitted
 * mail with a key made by {@code tern dkim keygen}. The client is 127.0.0.1: example.test's SPF allows it,
 * other.test's does not. example.test publishes {@code p=reject}, quarantine.test {@code p=quarantine}; both
 * publish the conformance key (src/test/resources/dkim/keys/rsa2048) under the selector rsa2048.
 */
class AuthenticationIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String SIGNED = "signed/plain.rsa2048.relaxed-relaxed.eml";

    @TempDir
    static Path data;
    static TestDnsServer dns;
    static Tern tern;

    @BeforeAll
    static void start() throws Exception {
        String key = text("keys/rsa2048.dns").strip();
        dns = TestDnsServer.start();
        dns.addTxt("example.test", "v=spf1 ip4:127.0.0.1 -all")
                .addTxt("other.test", "v=spf1 ip4:198.51.100.0/24 -all")
                .addTxt("_dmarc.example.test", "v=DMARC1; p=reject")
                .addTxt("_dmarc.quarantine.test", "v=DMARC1; p=quarantine")
                .addTxt("rsa2048._domainkey.example.test", chunks(key))
                .addTxt("rsa2048._domainkey.quarantine.test", chunks(key));
        TernConfig config = TernConfig.defaults("mx.tern.test", data)
                .withListeners(List.of(new ListenerSettings("mx", ListenerSettings.Role.MX, "127.0.0.1", 0),
                        new ListenerSettings("submission", ListenerSettings.Role.SUBMISSION, "127.0.0.1", 0)))
                .withDns(new DnsSettings(List.of(dns.address()), Duration.ofSeconds(2), 0))
                .withMailAuth(dev.tern.config.MailAuthSettings.defaults().withCheckLoopback(true));
        FileDirectory directory = new FileDirectory(data, config.domains());
        directory.addDomain("tern.test");
        directory.addUser("bob@localhost", "unused");
        directory.addUser("carol@localhost", "unused");
        directory.addUser("alice@tern.test", StoredPasswords.derive(new PasswordHasher(), PASSWORD.toCharArray()));
        tern = Tern.start(config);
    }

    @AfterAll
    static void stop() {
        if (tern != null) {
            tern.close();
        }
        dns.close();
    }

    @Test
    void aSignedMessageFromAnAllowedClientIsStoredWithPassingResults() throws Exception {
        String reply = sendToMx("alice@example.test", "bob@localhost", text(SIGNED));

        assertThat(reply).startsWith("250 2.0.0 OK: queued as ");
        String stored = awaitMessage("bob", "", "DKIM test vector: plain");
        assertThat(stored).containsPattern("\r\nAuthentication-Results: mx\\.tern\\.test;\r\n"
                + "\tspf=pass smtp\\.mailfrom=alice@example\\.test;\r\n"
                + "\tdkim=pass header\\.d=example\\.test header\\.s=rsa2048 header\\.b=[^;]+;\r\n"
                + "\tdmarc=pass \\(p=reject dis=none\\) header\\.from=example\\.test\r\nReceived: from ");
        assertThat(stored).endsWith(text(SIGNED));
    }

    @Test
    void aTamperedMessageWithoutSpfAlignmentIsRefusedAndNothingIsStored() throws Exception {
        String reply = sendToMx("mallory@other.test", "carol@localhost", tampered(text(SIGNED)));

        assertThat(reply).isEqualTo("550 5.7.1 Message rejected by DMARC policy of example.test");
        try (Stream<Path> spool = Files.list(data.resolve("spool"))) {
            assertThat(spool.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".draft"));
        }
        // a message sent after it arrives alone: the refused one was never queued
        assertThat(sendToMx("alice@example.test", "carol@localhost", text(SIGNED))).startsWith("250 ");
        awaitMessage("carol", "", "DKIM test vector: plain");
        assertThat(TernFixture.list(data.resolve("mail/localhost/carol/new"))).hasSize(1);
        assertThat(Files.exists(data.resolve("mail/localhost/carol/.Junk"))).isFalse();
    }

    @Test
    void aFailingMessageUnderPQuarantineIsStoredInJunk() throws Exception {
        String message = signedBy("quarantine.test", "From: Alice <alice@quarantine.test>\r\nTo: bob@localhost\r\n"
                + "Subject: quarantined\r\nDate: Thu, 01 Jan 2026 00:00:00 +0000\r\n\r\nHello Bob.\r\n");

        String reply = sendToMx("mallory@other.test", "bob@localhost", tampered(message));

        assertThat(reply).startsWith("250 2.0.0 OK: queued as ");
        String stored = awaitMessage("bob", ".Junk", "quarantined");
        assertThat(stored).contains("\tspf=fail smtp.mailfrom=mallory@other.test;\r\n")
                .contains("\tdkim=fail header.d=quarantine.test")
                .contains("\tdmarc=fail (p=quarantine dis=quarantine) header.from=quarantine.test");
        assertThat(data.resolve("mail/localhost/bob/.Junk/maildirfolder")).exists();
    }

    @Test
    void forgedResultsClaimingOurIdAreRemoved() throws Exception {
        String message = "Authentication-Results: MX.tern.test; dkim=pass header.d=bank.example\r\n"
                + "Authentication-Results: mx.elsewhere.example; spf=pass smtp.mailfrom=x@bank.example\r\n"
                + "From: alice@example.test\r\nSubject: forged results\r\n\r\nHello.\r\n";

        assertThat(sendToMx("alice@example.test", "bob@localhost", message)).startsWith("250 ");

        String stored = awaitMessage("bob", "", "forged results");
        assertThat(stored).doesNotContain("header.d=bank.example")
                .contains("Authentication-Results: mx.elsewhere.example; spf=pass smtp.mailfrom=x@bank.example\r\n")
                .contains("Authentication-Results: mx.tern.test;\r\n\tspf=pass smtp.mailfrom=alice@example.test;\r\n"
                        + "\tdkim=none;\r\n\tdmarc=pass (p=reject dis=none)");
    }

    @Test
    void submittedMailIsSignedWithAKeyMadeByKeygen() throws Exception {
        picocli.CommandLine keygen = Main.commandLine();
        java.io.StringWriter printed = new java.io.StringWriter();
        keygen.setOut(new java.io.PrintWriter(printed));
        assertThat(keygen.execute("dkim", "keygen", "tern.test", "--selector", "s2026", "--data", data.toString()))
                .isZero();
        assertThat(printed.toString()).contains("s2026._domainkey.tern.test. IN TXT");
        DkimKey key = DkimKeyStore.inDataDirectory(data).keys("tern.test").get(0);
        String record = DkimKeys.recordValue(DkimAlgorithm.RSA_SHA256, DkimKeys.publicKey(key.key()));
        dns.addTxt("s2026._domainkey.tern.test", chunks(record));

        try (SmtpTestClient client = new SmtpTestClient(tern.port("submission"))) {
            client.reply();
            client.command("EHLO laptop.tern.test");
            assertThat(client.command("STARTTLS")).startsWith("220 ");
            client.startTls();
            client.command("EHLO laptop.tern.test");
            String plain = Base64.getEncoder().encodeToString(("\0alice@tern.test\0" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(client.command("AUTH PLAIN " + plain)).startsWith("235 ");
            assertThat(client.sendMessage("alice@tern.test", "bob@localhost", "From: Alice <alice@tern.test>\r\n"
                    + "To: bob@localhost\r\nSubject: signed by tern\r\n\r\nHello Bob."))
                    .startsWith("250 ");
        }

        String stored = awaitMessage("bob", "", "signed by tern");
        assertThat(stored).contains("\r\nDKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=tern.test;");
        DkimVerifier verifier = new DkimVerifier(KeyLookup.dns(new DnsjavaResolver(
                ResolverSettings.of(dns.address(), Duration.ofSeconds(2), 0))), Clock.systemUTC());
        List<DkimResult> results = verifier.verify(new ByteArrayInputStream(stored.getBytes(StandardCharsets.UTF_8)));
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.trusted()).as(r.toString()).isTrue();
            assertThat(r.domain()).isEqualTo("tern.test");
        });
        assertVerifiedByDkimpy(stored, "s2026._domainkey.tern.test=" + record);
    }

    /** dkimpy, an independent implementation, when the Debian packages are installed (see DkimpyInteropTest). */
    private static void assertVerifiedByDkimpy(String message, String key) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python) || new ProcessBuilder(python.toString(), "-c", "import dkim")
                .start().waitFor() != 0) {
            return;
        }
        Path file = data.resolve("dkimpy.eml");
        Files.writeString(file, message, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(python.toString(), resources().resolve("dkim_verify.py").toString(),
                file.toString(), key).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("PASS");
    }

    /** One transaction on the MX listener; returns the reply to the end of data. */
    private static String sendToMx(String from, String to, String message) throws IOException {
        String body = message.endsWith("\r\n") ? message.substring(0, message.length() - 2) : message;
        try (SmtpTestClient client = new SmtpTestClient(tern.port("mx"))) {
            client.reply();
            client.command("EHLO client.tern.test");
            String reply = client.sendMessage(from, to, body.replaceAll("(?m)^\\.", ".."));
            client.command("QUIT");
            return reply;
        }
    }

    /** The message in the user's folder ("" for the inbox) whose Subject is {@code subject}. */
    private static String awaitMessage(String user, String folder, String subject) throws Exception {
        Path dir = data.resolve("mail/localhost").resolve(user).resolve(folder).resolve("new");
        for (int i = 0; i < 400; i++) {
            for (Path file : TernFixture.list(dir)) {
                String text = Files.readString(file, StandardCharsets.ISO_8859_1);
                if (text.contains("\r\nSubject: " + subject + "\r\n")) {
                    return text;
                }
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no message with subject " + subject + " in " + dir);
    }

    private static String signedBy(String domain, String message) throws Exception {
        DkimKey key = new DkimKey(domain, "rsa2048", DkimAlgorithm.RSA_SHA256,
                DkimKeys.fromPem(text("keys/rsa2048.key"), DkimAlgorithm.RSA_SHA256));
        List<String> fields = DkimSigner.standard().sign(
                new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)), List.of(key));
        return String.join("", fields) + message;
    }

    private static String tampered(String message) {
        String changed = message.replaceFirst("Hello Bob", "Hello Eve");
        assertThat(changed).isNotEqualTo(message);
        return changed;
    }

    /** TXT character-strings of at most 255 octets (RFC 1035 §3.3), joined again by the reader. */
    private static String[] chunks(String value) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < value.length(); i += 255) {
            out.add(value.substring(i, Math.min(value.length(), i + 255)));
        }
        return out.toArray(String[]::new);
    }

    static Path resources() {
        try {
            return Path.of(AuthenticationIT.class.getResource("/dkim/vectors.tsv").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(String relative) {
        try {
            return Files.readString(resources().resolve(relative), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
