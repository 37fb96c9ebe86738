package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.ListenerSettings;
import dev.tern.config.MilterSettings;
import dev.tern.mail.Envelope;
import dev.tern.milter.FakeMilter;
import dev.tern.policy.dkim.DkimKeyStore;
import dev.tern.policy.dkim.DkimSigner;
import dev.tern.policy.dkim.SignOptions;
import dev.tern.policy.dmarc.AuthenticationPolicy;
import dev.tern.policy.dmarc.PublicSuffixList;
import dev.tern.policy.mailauth.InboundChecks;
import dev.tern.policy.mailauth.OutboundSigner;
import dev.tern.policy.spf.SpfChecker;
import dev.tern.testdns.FakeDnsResolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code TLS-Required: No} (RFC 8689 §4.1) judged at the end of the data on every path a message takes there: the
 * checks of mail from the world, the signature of our users' mail, neither, and after a milter changed the header;
 * each time on a header read once, and never over REQUIRETLS.
 */
class TlsRequiredSessionTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
    private static final String OPTIONAL = "From: Roger <roger@example.test>\r\nTo: alice@localhost\r\n"
            + "Subject: your certificate expired\r\nTLS-Required: No\r\n\r\nHave a look.\r\n";
    private static final String PLAIN = "From: Roger <roger@example.test>\r\nSubject: hello\r\n\r\nHi.\r\n";

    private final FakeDnsResolver dns = new FakeDnsResolver()
            .add("example.test", "TXT", "v=spf1 ip4:192.0.2.1 -all");

    @TempDir
    Path data;

    private SessionHarness checkingMx() {
        SessionHarness harness = new SessionHarness();
        harness.inbound = new InboundChecks(dns, new SpfChecker(dns, "tern.test"), PublicSuffixList.bundled(),
                AuthenticationPolicy.defaults(), "tern.test", CLOCK, true, 10);
        return harness;
    }

    private SessionHarness signingSubmission() throws IOException {
        Path dir = Files.createDirectories(data.resolve("dkim/localhost"));
        Files.write(dir.resolve("rsa2048.rsa.key"), AuthenticationSessionTest.bytes("keys/rsa2048.key"));
        SessionHarness harness = new SessionHarness();
        harness.role = ListenerSettings.Role.SUBMISSION;
        harness.tls = true;
        harness.signer = new OutboundSigner(new DkimKeyStore(data.resolve("dkim")),
                new DkimSigner(CLOCK, SignOptions.defaults()));
        return harness;
    }

    @Test
    void mailFromTheWorldIsJudgedOnTheHeaderTheChecksRead() {
        SessionHarness harness = checkingMx();

        harness.run(mx(OPTIONAL) + mx(PLAIN) + "QUIT\r\n");

        assertThat(harness.spool.committed).extracting(s -> s.envelope().tlsOptional()).containsExactly(true, false);
        assertThat(harness.spool.committed.get(0).text()).startsWith("Authentication-Results: tern.test;");
        assertThat(harness.spool.readBacks).as("one read per message, for the checks and the header alike")
                .isEqualTo(2);
    }

    @Test
    void ourUsersMailIsJudgedOnTheHeaderTheSignerRead() throws IOException {
        SessionHarness harness = signingSubmission();
        String alice = OPTIONAL.replace("roger@example.test", "alice@localhost");

        harness.run(submit("", alice) + submit(" REQUIRETLS", alice) + "QUIT\r\n");

        Envelope optional = harness.spool.committed.get(0).envelope();
        assertThat(optional.tlsOptional()).isTrue();
        assertThat(optional.requireTls()).isFalse();
        assertThat(harness.spool.committed.get(0).text()).startsWith("DKIM-Signature: ");
        Envelope required = harness.spool.committed.get(1).envelope();
        assertThat(required.requireTls()).as("RFC 8689 §4.1: REQUIRETLS wins").isTrue();
        assertThat(required.tlsOptional()).isFalse();
        assertThat(harness.spool.readBacks).isEqualTo(2);
    }

    /**
     * Mail neither checked nor signed is read back for its header alone, and only when a TLS-Required field went by
     * as it arrived: a message without one is never read back.
     */
    @Test
    void mailNeitherCheckedNorSignedHasItsHeaderReadAloneWhenItHasTheField() {
        SessionHarness harness = new SessionHarness();

        harness.run(mx(OPTIONAL) + mx(PLAIN) + mx(PLAIN.replace("Subject:", "TLS-Required: Yes\r\nSubject:"))
                + "QUIT\r\n");

        assertThat(harness.spool.committed).extracting(s -> s.envelope().tlsOptional())
                .containsExactly(true, false, false);
        assertThat(harness.spool.readBacks).isEqualTo(2);
    }

    /** What counts is the header the message is committed with, which the next hop reads too. */
    @Test
    void aFieldAMilterAddedCounts() throws Exception {
        try (FakeMilter milter = new FakeMilter()) {
            milter.on('E', FakeMilter.packet('h', "TLS-Required", "No"), FakeMilter.packet('c'));
            SessionHarness harness = checkingMx();
            harness.milters = List.of(milterSettings(milter));

            harness.run(mx(PLAIN) + "QUIT\r\n");

            assertThat(harness.spool.committed.get(0).text()).contains("\r\nTLS-Required: No\r\n");
            assertThat(harness.spool.committed.get(0).envelope().tlsOptional()).isTrue();
        }
    }

    /** The same for a field a milter inserted at the top, which is kept beside the content until the commit. */
    @Test
    void aFieldAMilterInsertedAtTheTopCounts() throws Exception {
        try (FakeMilter milter = new FakeMilter()) {
            milter.on('E', FakeMilter.indexed('i', 0, "TLS-Required", "No"), FakeMilter.packet('c'));
            SessionHarness harness = new SessionHarness();
            harness.milters = List.of(milterSettings(milter));

            harness.run(mx(PLAIN) + "QUIT\r\n");

            assertThat(harness.spool.committed.get(0).text()).startsWith("TLS-Required: No\r\n");
            assertThat(harness.spool.committed.get(0).envelope().tlsOptional()).isTrue();
        }
    }

    /** A session on the MX listener sending {@code message} with DATA. */
    private static String mx(String message) {
        return "EHLO c.example\r\nMAIL FROM:<roger@example.test>\r\nRCPT TO:<alice@localhost>\r\nDATA\r\n"
                + message + ".\r\n";
    }

    /** A message from alice on submission; the first one logs in. */
    private static String submit(String mailParameters, String message) {
        String plain = Base64.getEncoder().encodeToString("\0alice@localhost\0secret".getBytes(StandardCharsets.UTF_8));
        return "EHLO laptop.example\r\nAUTH PLAIN " + plain + "\r\nMAIL FROM:<alice@localhost>" + mailParameters
                + "\r\nRCPT TO:<bob@example.org>\r\nDATA\r\n" + message + ".\r\n";
    }

    private static MilterSettings milterSettings(FakeMilter milter) {
        Duration t = Duration.ofSeconds(10);
        return new MilterSettings("fake", MilterSettings.Address.parse(milter.address()), List.of(),
                MilterSettings.DefaultAction.TEMPFAIL, t, t, t, t);
    }
}
