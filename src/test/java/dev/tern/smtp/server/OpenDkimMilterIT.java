package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.MilterSettings;
import dev.tern.milter.DebianMilter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tern's milter client against Debian's opendkim in sign mode: the DKIM-Signature it adds through the milter
 * (SMFIR_INSHEADER) is stored with the message, and dkimpy (python3-dkim) verifies it with the public key handed
 * to it directly (its {@code dnsfunc}), so no DNS is involved.
 */
class OpenDkimMilterIT {

    @TempDir
    static Path dir;
    private static DebianMilter opendkim;
    private static String publicKey;

    @BeforeAll
    static void start() throws Exception {
        String program = DebianMilter.program("opendkim", "opendkim");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        publicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
        Path key = dir.resolve("sel.private");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        int port = DebianMilter.freePort();
        DebianMilter.render("/milter/opendkim", List.of("opendkim.conf"), dir,
                Map.of("PORT", Integer.toString(port), "DIR", dir.toString()));
        opendkim = DebianMilter.start(List.of(program, "-f", "-x", dir.resolve("opendkim.conf").toString()), port,
                dir.resolve("opendkim.out"), 60);
    }

    @AfterAll
    static void stop() {
        if (opendkim != null) {
            opendkim.close();
        }
    }

    @Test
    void theSignatureOpendkimAddsVerifiesWithDkimpy() throws Exception {
        SessionHarness harness = new SessionHarness();
        Duration t = Duration.ofSeconds(30);
        harness.milters = List.of(new MilterSettings("opendkim", MilterSettings.Address.parse(opendkim.address()),
                List.of(), MilterSettings.DefaultAction.TEMPFAIL, t, t, t, t));

        List<String> replies = harness.run("EHLO client.example.test\r\nMAIL FROM:<a@example.test>\r\n"
                + "RCPT TO:<alice@localhost>\r\nDATA\r\nFrom: A <a@example.test>\r\nTo: alice@localhost\r\n"
                + "Subject: signed by a milter\r\nDate: Sat, 28 Nov 2026 12:00:00 +0000\r\n"
                + "Message-ID: <2@example.test>\r\n\r\nHello,\r\n\r\nsigned  with  spaces.\r\n.\r\nQUIT\r\n");

        assertThat(replies).as(opendkim.output()).anyMatch(l -> l.startsWith("250 2.0.0 OK: queued as "));
        String stored = harness.spool.committed.get(0).text();
        assertThat(stored).as(opendkim.output()).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/simple; d=example.test;");
        assertThat(dkimpy(stored)).isEqualTo("True");
        assertThat(dkimpy(stored.replace("signed  with", "signed with"))).isEqualTo("False");
    }

    /** dkimpy's verdict on the message, with our public key as the only DNS answer. */
    private static String dkimpy(String message) throws Exception {
        Path file = Files.createTempFile(dir, "msg", ".eml");
        Files.writeString(file, message);
        String script = """
                import sys
                try:
                    import dkim
                except ImportError as e:
                    print('dkimpy missing (apt-get install python3-dkim): %s' % e); sys.exit(3)
                record = b'v=DKIM1; k=rsa; p=' + sys.argv[2].encode()
                def dnsfunc(name, timeout=5):
                    return record if name.rstrip(b'.') == b'sel._domainkey.example.test' else None
                print(dkim.verify(open(sys.argv[1], 'rb').read(), dnsfunc=dnsfunc))
                """;
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, file.toString(), publicKey)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
