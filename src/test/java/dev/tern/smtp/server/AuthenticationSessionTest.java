package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.mail.IpNetwork;
import dev.tern.config.ListenerSettings;
import dev.tern.dns.DnsResult;
import dev.tern.policy.dkim.DkimKeyStore;
import dev.tern.policy.dkim.DkimResult;
import dev.tern.policy.dkim.DkimSigner;
import dev.tern.policy.dkim.DkimVerifier;
import dev.tern.policy.dmarc.AuthenticationPolicy;
import dev.tern.policy.dmarc.PublicSuffixList;
import dev.tern.policy.mailauth.InboundChecks;
import dev.tern.policy.mailauth.OutboundSigner;
import dev.tern.policy.spf.SpfChecker;
import dev.tern.testdns.FakeDnsResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPF, DKIM and DMARC at the end of DATA, and DKIM signing of submitted mail, through whole sessions over memory
 * streams, with DNS served by a fake. The client is 192.0.2.1; example.test's SPF allows it, other.test's does not.
 */
class AuthenticationSessionTest {

    private static final String SIGNED = "signed/plain.rsa2048.relaxed-relaxed.eml";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

    private final FakeDnsResolver dns = new FakeDnsResolver()
            .add("example.test", "TXT", "v=spf1 ip4:192.0.2.1 -all")
            .add("other.test", "TXT", "v=spf1 ip4:198.51.100.0/24 -all")
            .add("rsa2048._domainkey.example.test", "TXT", text("keys/rsa2048.dns").strip());

    @TempDir
    Path data;

    private SessionHarness harness(String dmarcPolicy) {
        if (dmarcPolicy != null) {
            dns.add("_dmarc.example.test", "TXT", "v=DMARC1; p=" + dmarcPolicy);
        }
        SessionHarness harness = new SessionHarness();
        harness.inbound = new InboundChecks(dns, new SpfChecker(dns, "tern.test"), PublicSuffixList.bundled(),
                AuthenticationPolicy.defaults(), "tern.test", CLOCK, true, 10);
        return harness;
    }

    @Test
    void aSignedMessageFromAnAllowedClientPassesEverything() {
        SessionHarness harness = harness("reject");

        List<String> replies = harness.run(session("alice@example.test", bytes(SIGNED)));

        assertThat(replies).anyMatch(l -> l.startsWith("250 2.0.0 OK: queued as "));
        MemorySpool.Stored stored = harness.spool.committed.get(0);
        assertThat(stored.text()).startsWith("Authentication-Results: tern.test;\r\n"
                + "\tspf=pass smtp.mailfrom=alice@example.test;\r\n"
                + "\tdkim=pass header.d=example.test header.s=rsa2048 header.b=")
                .containsPattern("\r\n\tdmarc=pass \\(p=reject dis=none\\) header.from=example.test\r\nReceived: from ");
        assertThat(stored.text()).endsWith(text(SIGNED));
        assertThat(stored.junk()).isFalse();
        assertThat(harness.spool.readBacks).isEqualTo(1);
    }

    @Test
    void aTamperedMessageWithoutSpfAlignmentIsRefusedUnderPReject() {
        SessionHarness harness = harness("reject");
        byte[] tampered = text(SIGNED).replace("Hello Bob", "Hello Eve").getBytes(StandardCharsets.ISO_8859_1);

        List<String> replies = harness.run(session("mallory@other.test", tampered));

        assertThat(replies).contains("550 5.7.1 Message rejected by DMARC policy of example.test");
        assertThat(replies).noneMatch(l -> l.startsWith("250 2.0.0 OK: queued"));
        assertThat(harness.spool.committed).isEmpty();
        assertThat(harness.spool.openDrafts).isZero();
    }

    @Test
    void aFailingMessageUnderPQuarantineGoesToJunk() {
        SessionHarness harness = harness("quarantine");
        byte[] tampered = text(SIGNED).replace("Hello Bob", "Hello Eve").getBytes(StandardCharsets.ISO_8859_1);

        List<String> replies = harness.run(session("mallory@other.test", tampered));

        assertThat(replies).anyMatch(l -> l.startsWith("250 2.0.0 OK: queued as "));
        MemorySpool.Stored stored = harness.spool.committed.get(0);
        assertThat(stored.junk()).isTrue();
        assertThat(stored.text()).contains("\tspf=fail smtp.mailfrom=mallory@other.test;\r\n")
                .contains("\tdkim=fail header.d=example.test").contains("\tdmarc=fail (p=quarantine dis=quarantine)");
    }

    @Test
    void forgedResultsClaimingOurIdAreRemovedAndOthersKept() {
        SessionHarness harness = harness(null);
        String forged = "Authentication-Results: TERN.test.;\r\n\tdkim=pass header.d=bank.example\r\n";
        String foreign = "Authentication-Results: mx.elsewhere.example; spf=pass\r\n";
        String message = forged + foreign + "From: a@example.test\r\nSubject: hi\r\n\r\nbody\r\n";

        harness.run(session("a@example.test", message.getBytes(StandardCharsets.US_ASCII)));

        String stored = harness.spool.committed.get(0).text();
        assertThat(stored).doesNotContain("bank.example").contains(foreign + "From: a@example.test\r\n")
                .startsWith("Authentication-Results: tern.test;\r\n\tspf=pass").contains("\tdkim=none;\r\n");
        assertThat(stored.split("Authentication-Results: ", -1)).hasSize(3);
    }

    @Test
    void temporaryDnsTroubleNeverRefuses() {
        SessionHarness harness = harness(null);
        dns.fail("_dmarc.example.test").fail("rsa2048._domainkey.example.test").fail("other.test");
        byte[] tampered = text(SIGNED).replace("Hello Bob", "Hello Eve").getBytes(StandardCharsets.ISO_8859_1);

        List<String> replies = harness.run(session("mallory@other.test", tampered));

        assertThat(replies).anyMatch(l -> l.startsWith("250 2.0.0 OK: queued as "));
        assertThat(harness.spool.committed.get(0).text()).contains("spf=temperror").contains("dkim=temperror")
                .contains("dmarc=temperror");
    }

    @Test
    void bdatIsCheckedLikeData() {
        SessionHarness harness = harness("reject");
        byte[] message = bytes(SIGNED);
        String client = "EHLO c.example\r\nMAIL FROM:<alice@example.test>\r\nRCPT TO:<alice@localhost>\r\n"
                + "BDAT " + message.length + " LAST\r\n";

        List<String> replies = harness.run(concat(client.getBytes(StandardCharsets.US_ASCII), message,
                "QUIT\r\n".getBytes(StandardCharsets.US_ASCII)));

        assertThat(replies).anyMatch(l -> l.startsWith("250 2.0.0 OK: queued as "));
        assertThat(harness.spool.committed.get(0).text()).contains("\tdkim=pass header.d=example.test")
                .contains("\tdmarc=pass");
    }

    @Test
    void trustedNetworksAndSubmissionAreNotChecked() {
        SessionHarness harness = harness("reject");
        harness.trusted = List.of(IpNetwork.parse("192.0.2.0/24"));
        byte[] tampered = text(SIGNED).replace("Hello Bob", "Hello Eve").getBytes(StandardCharsets.ISO_8859_1);

        harness.run(session("mallory@other.test", tampered));

        assertThat(harness.spool.committed).singleElement()
                .satisfies(s -> assertThat(s.text()).doesNotContain("Authentication-Results"));
        assertThat(harness.spool.readBacks).isZero();
    }

    @Test
    void submittedMailIsSignedWithTheFromDomainsKey() throws Exception {
        SessionHarness harness = submission();

        List<String> replies = harness.run(submit("From: Alice <alice@localhost>\r\nTo: bob@example.org\r\n"
                + "Subject: signed\r\n\r\nHello.\r\n"));

        assertThat(replies).anyMatch(l -> l.startsWith("250 2.0.0 OK: queued as "));
        String stored = harness.spool.committed.get(0).text();
        assertThat(stored).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=localhost;");
        List<DkimResult> results = verify(stored);
        assertThat(results).singleElement().satisfies(r -> assertThat(r.trusted()).as(r.toString()).isTrue());
        assertThat(harness.spool.readBacks).isEqualTo(1);
    }

    @Test
    void aFromDomainTheUserDoesNotSpeakForIsNotSigned() throws Exception {
        SessionHarness harness = submission();

        harness.run(submit("From: boss@example.test\r\nSubject: x\r\n\r\nHello.\r\n"));

        // the envelope sender's domain (localhost) signs instead: it does not align with From, so DMARC fails
        String stored = harness.spool.committed.get(0).text();
        assertThat(stored).startsWith("DKIM-Signature: ").contains(" d=localhost;").doesNotContain("d=example.test");
    }

    @Test
    void aDomainWithoutKeysIsSentUnsigned() throws Exception {
        SessionHarness harness = submission();
        Files.delete(data.resolve("dkim/localhost/rsa2048.rsa.key"));

        List<String> replies = harness.run(submit("From: alice@localhost\r\nSubject: x\r\n\r\nHello.\r\n"));

        assertThat(replies).anyMatch(l -> l.startsWith("250 2.0.0 OK: queued as "));
        assertThat(harness.spool.committed.get(0).text()).doesNotContain("DKIM-Signature");
    }

    /** The milters run after SPF, DKIM and DMARC: the first field a milter sees is our Authentication-Results. */
    @Test
    void aMilterSeesOurAuthenticationResults() throws Exception {
        try (dev.tern.milter.FakeMilter milter = new dev.tern.milter.FakeMilter()) {
            SessionHarness harness = harness("reject");
            harness.milters = List.of(milterSettings(milter));

            harness.run(session("alice@example.test", bytes(SIGNED)));

            assertThat(milter.received('L').get(0).strings().get(0)).isEqualTo("Authentication-Results");
            assertThat(milter.received('L').get(0).strings().get(1)).startsWith("tern.test;\n\tspf=pass");
        }
    }

    /** DKIM signing comes after the milters: a milter that rewrites the body cannot break our signature. */
    @Test
    void submittedMailIsSignedAfterAMilterChangedIt() throws Exception {
        try (dev.tern.milter.FakeMilter milter = new dev.tern.milter.FakeMilter()) {
            milter.on('E', dev.tern.milter.FakeMilter.packet('h', "X-Scanned", "yes"),
                    new dev.tern.milter.FakeMilter.Packet('b', "Hello, rewritten.\r\n".getBytes(StandardCharsets.US_ASCII)),
                    dev.tern.milter.FakeMilter.packet('c'));
            SessionHarness harness = submission();
            harness.milters = List.of(milterSettings(milter));

            harness.run(submit("From: Alice <alice@localhost>\r\nTo: bob@example.org\r\nSubject: signed\r\n\r\nHello.\r\n"));

            String stored = harness.spool.committed.get(0).text();
            assertThat(stored).startsWith("DKIM-Signature: ").contains("\r\nX-Scanned: yes\r\n")
                    .endsWith("\r\n\r\nHello, rewritten.\r\n");
            assertThat(verify(stored)).singleElement().satisfies(r -> assertThat(r.trusted()).as(r.toString()).isTrue());
        }
    }

    private static dev.tern.config.MilterSettings milterSettings(dev.tern.milter.FakeMilter milter) {
        java.time.Duration t = java.time.Duration.ofSeconds(10);
        return new dev.tern.config.MilterSettings("fake", dev.tern.config.MilterSettings.Address.parse(milter.address()),
                List.of(), dev.tern.config.MilterSettings.DefaultAction.TEMPFAIL, t, t, t, t);
    }

    private SessionHarness submission() throws IOException {
        Path dir = Files.createDirectories(data.resolve("dkim/localhost"));
        Files.write(dir.resolve("rsa2048.rsa.key"), bytes("keys/rsa2048.key"));
        SessionHarness harness = harness(null);
        harness.role = ListenerSettings.Role.SUBMISSION;
        harness.tls = true;
        harness.signer = new OutboundSigner(new DkimKeyStore(data.resolve("dkim")),
                new DkimSigner(CLOCK, dev.tern.policy.dkim.SignOptions.defaults()));
        return harness;
    }

    private static byte[] submit(String message) {
        String plain = Base64.getEncoder().encodeToString("\0alice@localhost\0secret".getBytes(StandardCharsets.UTF_8));
        return ("EHLO laptop.example\r\nAUTH PLAIN " + plain + "\r\nMAIL FROM:<alice@localhost>\r\n"
                + "RCPT TO:<bob@example.org>\r\nDATA\r\n" + message + ".\r\nQUIT\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static List<DkimResult> verify(String message) throws IOException {
        String record = text("keys/rsa2048.dns").strip();
        DkimVerifier verifier = new DkimVerifier(name -> name.equals("rsa2048._domainkey.localhost")
                ? new DnsResult.Answer<>(List.of(record), false) : new DnsResult.NxDomain<>(), CLOCK);
        return verifier.verify(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
    }

    /** A session on the MX listener sending {@code message} with DATA (dot-stuffed). */
    private static byte[] session(String mailFrom, byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        String stuffed = text.replaceAll("(?m)^\\.", "..");
        String client = "EHLO c.example\r\nMAIL FROM:<" + mailFrom + ">\r\nRCPT TO:<alice@localhost>\r\nDATA\r\n"
                + stuffed + (stuffed.endsWith("\r\n") ? "" : "\r\n") + ".\r\nQUIT\r\n";
        return client.getBytes(StandardCharsets.ISO_8859_1);
    }

    static Path resources() {
        try {
            return Path.of(AuthenticationSessionTest.class.getResource("/dkim/vectors.tsv").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(resources().resolve(relative));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String text(String relative) {
        return new String(bytes(relative), StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
