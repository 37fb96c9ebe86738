package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.TernConfig;
import dev.tern.store.FileDirectory;
import dev.tern.testdns.SignedZone;
import dev.tern.testdns.TestDnsServer;
import dev.tern.testdns.Unbound;
import dev.tern.testmta.PostfixPeer;
import dev.tern.testmta.PostfixSettings;
import dev.tern.tls.TestPki;
import dev.tern.tlsrpt.TlsReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DANE (RFC 7672) through the whole product, with real parts on loopback: a zone signed in the test and served by
 * {@link TestDnsServer}, Debian's unbound validating it (the AD bit, SERVFAIL for a broken signature and insecure
 * answers all come from unbound), a real {@link Tern} started from a TOML file whose only DNS server is that unbound
 * ({@code [dane] enabled = "auto"}: on, since unbound is on loopback), and Debian's Postfix as the MX host, with a
 * certificate made here. Each case checks the message's fate on both sides (Postfix's Maildir and log, Tern's mail
 * log, queue and TLS-RPT counts) and that no MAIL command ever went to Postfix outside TLS.
 *
 * <p>The TLSA records are published at {@code _<port>._tcp.<mx host>}, where {@code <port>} is Postfix's port, which
 * is also Tern's {@code [delivery] mx_port}. A TLSA record describes the TLS server at one port (RFC 6698 §3: the
 * port on which the server listens), and the RFC 7672 §2.2.3 {@code _25._tcp} name is that rule applied to SMTP's
 * port; a test network whose MX hosts listen elsewhere publishes at its own port, as Postfix's own client does with
 * {@code smtp_tcp_port}. Case {@link #daneEeMatchingPostfixsKeyDeliversOverTls} would fail under {@code may} if Tern
 * looked at {@code _25._tcp}, where nothing is published.
 *
 * <p>Every record lives one second in caches, so a changed record reaches Tern without restarting unbound. Tern's
 * {@code [queue] retry_initial} is long: the second attempt of a deferred message is the one the test asks for
 * with {@code tern queue flush}, and nothing waits for a backoff.
 */
class DaneDeliveryIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration TTL = Duration.ofSeconds(1);

    @TempDir
    static Path dir;
    static SignedZone signed;
    static SignedZone plain;
    static TestDnsServer authority;
    static Unbound unbound;
    /** A CA that Tern does not trust: DANE alone must authenticate what it issues. */
    static TestPki untrusted;

    @BeforeAll
    static void start() throws Exception {
        untrusted = new TestPki();
        signed = SignedZone.signed("dane.test.", TTL);
        for (String label : List.of("ee", "ta", "taname", "wrong", "nostarttls", "bogus", "pkix")) {
            signed.add(label, "MX", "10 mx." + label).add("mx." + label, "A", "127.0.0.1");
        }
        signed.add("pair", "MX", "10 mx1.pair").add("pair", "MX", "20 mx2.pair")
                .add("mx1.pair", "A", "127.0.0.1").add("mx2.pair", "A", "127.0.0.1");
        plain = SignedZone.unsigned("plain.test.", TTL).add("@", "MX", "10 mx").add("mx", "A", "127.0.0.1");
        authority = TestDnsServer.authoritative(signed, plain);
        Path unboundDir = Files.createDirectories(dir.resolve("unbound"));
        unbound = Unbound.start(unboundDir, authority, signed, plain);
    }

    @AfterAll
    static void stop() throws Exception {
        if (unbound != null) {
            unbound.close();
        }
        if (authority != null) {
            authority.close();
        }
    }

    /** DANE-EE(3) SPKI(1) SHA-256(1): the key alone counts; the certificate's name and issuer are not checked. */
    @Test
    void daneEeMatchingPostfixsKeyDeliversOverTls() throws Exception {
        TestPki.Issued cert = untrusted.issue("not-the-mx.example", List.of("not-the-mx.example"), false);
        try (PostfixPeer postfix = DaneFarSide.postfix(dir, "ee.dane.test", cert);
             Outbound.MailLogLines log = new Outbound.MailLogLines()) {
            String record = "3 1 1 " + DaneFarSide.spkiSha256(cert.cert());
            signed.add(DaneFarSide.tlsaOwner("mx.ee", postfix.port()), "TLSA", record);
            try (Tern tern = startTern("ee", "auto", postfix.port())) {
                String id = send(tern, "bob@ee.dane.test", "dane-ee");

                DaneFarSide.assertDelivered(postfix, log, tern, id, "bob@ee.dane.test", "dane");
                assertThat(tlsCounts(tern, "ee.dane.test")).singleElement().satisfies(r -> {
                    assertPolicy(r, "tlsa", List.of(record), "mx.ee.dane.test");
                    assertThat(r.successes()).isEqualTo(1);
                    assertThat(r.failures()).isZero();
                });
            }
            DaneFarSide.assertNoMailInPlaintext(postfix);
        }
    }

    /**
     * DANE-TA(2) Cert(0) SHA-256(1) names a CA made here that Tern does not otherwise trust; Postfix sends its leaf
     * and that CA, and the leaf names the MX host (RFC 7672 §3.2.3). {@code [dane] enabled = true} this time.
     */
    @Test
    void daneTaNamingPostfixsCaDelivers() throws Exception {
        TestPki ca = new TestPki();
        TestPki.Issued cert = ca.issue("mx.ta.dane.test", List.of("mx.ta.dane.test"), false);
        try (PostfixPeer postfix = DaneFarSide.postfix(dir, "ta.dane.test", cert);
             Outbound.MailLogLines log = new Outbound.MailLogLines()) {
            String record = "2 0 1 " + DaneFarSide.sha256(ca.ca().getEncoded());
            signed.add(DaneFarSide.tlsaOwner("mx.ta", postfix.port()), "TLSA", record);
            try (Tern tern = startTern("ta", "true", postfix.port())) {
                String id = send(tern, "bob@ta.dane.test", "dane-ta");

                DaneFarSide.assertDelivered(postfix, log, tern, id, "bob@ta.dane.test", "dane");
                assertThat(tlsCounts(tern, "ta.dane.test")).singleElement().satisfies(r -> {
                    assertPolicy(r, "tlsa", List.of(record), "mx.ta.dane.test");
                    assertThat(r.successes()).isEqualTo(1);
                    assertThat(r.failures()).isZero();
                });
            }
            DaneFarSide.assertNoMailInPlaintext(postfix);
        }
    }

    /**
     * DANE-TA(2) with a chain that verifies but a leaf naming another host: refused (RFC 7672 §3.2.3), deferred, and
     * TLS-RPT told which check failed, as the trust manager said it through the real handshake.
     */
    @Test
    void daneTaWithALeafForAnotherNameDefers() throws Exception {
        TestPki ca = new TestPki();
        TestPki.Issued cert = ca.issue("mx.elsewhere.example", List.of("mx.elsewhere.example"), false);
        try (PostfixPeer postfix = DaneFarSide.postfix(dir, "taname.dane.test", cert);
             Outbound.MailLogLines log = new Outbound.MailLogLines()) {
            String record = "2 0 1 " + DaneFarSide.sha256(ca.ca().getEncoded());
            signed.add(DaneFarSide.tlsaOwner("mx.taname", postfix.port()), "TLSA", record);
            try (Tern tern = startTern("taname", "auto", postfix.port())) {
                String id = send(tern, "bob@taname.dane.test", "dane-ta name");

                String where = "mx.taname.dane.test[127.0.0.1]:" + postfix.port();
                DaneFarSide.assertDeferred(log, tern, id, "bob@taname.dane.test", "TLS with " + where + " failed: ");
                assertThat(log.lines()).as("the check that failed").anyMatch(l -> l.startsWith(id + ": deferred ")
                        && l.contains("DANE-TA: the certificate names mx.elsewhere.example, not mx.taname.dane.test"));
                DaneFarSide.assertNothingReachedPostfix(postfix);
                assertThat(tlsCounts(tern, "taname.dane.test")).singleElement().satisfies(r -> {
                    assertPolicy(r, "tlsa", List.of(record), "mx.taname.dane.test");
                    assertThat(r.successes()).isZero();
                    assertThat(r.failures()).isEqualTo(1);
                    assertThat(r.details()).singleElement()
                            .satisfies(d -> assertThat(d.resultType()).isEqualTo("certificate-host-mismatch"));
                });
            }
            DaneFarSide.assertNoMailInPlaintext(postfix);
        }
    }

    /**
     * A TLSA record for another key: the handshake is refused (4.7.5), nothing is sent, and the message waits. Once
     * the zone is signed again with Postfix's key, a flush delivers it over TLS.
     */
    @Test
    void aRecordForAnotherKeyDefersUntilTheZoneIsFixed() throws Exception {
        TestPki.Issued cert = untrusted.issue("mx.wrong.dane.test", List.of("mx.wrong.dane.test"), false);
        TestPki.Issued other = untrusted.issue("mx.wrong.dane.test", List.of("mx.wrong.dane.test"), false);
        try (PostfixPeer postfix = DaneFarSide.postfix(dir, "wrong.dane.test", cert);
             Outbound.MailLogLines log = new Outbound.MailLogLines()) {
            String owner = DaneFarSide.tlsaOwner("mx.wrong", postfix.port());
            String wrong = "3 1 1 " + DaneFarSide.spkiSha256(other.cert());
            signed.add(owner, "TLSA", wrong);
            try (Tern tern = startTern("wrong", "auto", postfix.port())) {
                String id = send(tern, "bob@wrong.dane.test", "wrong key");

                String where = "mx.wrong.dane.test[127.0.0.1]:" + postfix.port();
                String tried = log.await(l -> l.startsWith(id + ": smtp-tried"), WAIT).orElseThrow();
                assertThat(tried).contains("relay=" + where).contains("tls-policy=dane").contains("status=4.7.5");
                DaneFarSide.assertDeferred(log, tern, id, "bob@wrong.dane.test", "TLS with " + where + " failed: ");
                assertThat(log.lines()).as("the check that failed").anyMatch(l -> l.startsWith(id + ": deferred ")
                        && l.contains("DANE: no TLSA record at " + owner + ".dane.test matches the certificate chain"));
                DaneFarSide.assertNothingReachedPostfix(postfix);

                String right = "3 1 1 " + DaneFarSide.spkiSha256(cert.cert());
                signed.remove(owner, "TLSA").add(owner, "TLSA", right);
                DaneFarSide.awaitTlsa(unbound, owner + ".dane.test", right, WAIT);
                String data = tern.config().dataDir().toString();
                assertThat(Outbound.tern("queue", "flush", id, "--data", data).out()).isEqualTo("flushed " + id + "\n");

                DaneFarSide.assertDelivered(postfix, log, tern, id, "bob@wrong.dane.test", "dane");
                List<TlsReport.PolicyResult> counts = tlsCounts(tern, "wrong.dane.test");
                assertThat(counts).hasSize(2);
                assertPolicy(counts.get(0), "tlsa", List.of(wrong), "mx.wrong.dane.test");
                assertThat(counts.get(0).successes()).isZero();
                assertThat(counts.get(0).failures()).isEqualTo(1);
                assertThat(counts.get(0).details()).singleElement().satisfies(d -> {
                    assertThat(d.resultType()).isEqualTo("validation-failure");
                    assertThat(d.receivingMx()).isEqualTo("mx.wrong.dane.test");
                    assertThat(d.receivingIp()).isEqualTo("127.0.0.1");
                    assertThat(d.count()).isEqualTo(1);
                });
                assertPolicy(counts.get(1), "tlsa", List.of(right), "mx.wrong.dane.test");
                assertThat(counts.get(1).successes()).isEqualTo(1);
                assertThat(counts.get(1).failures()).isZero();
            }
            DaneFarSide.assertNoMailInPlaintext(postfix);
        }
    }

    /** STARTTLS gone from a host with TLSA records (a stripping attacker looks the same): deferred, never plaintext. */
    @Test
    void aServerWithoutStartTlsIsNeverSentMailInPlaintext() throws Exception {
        TestPki.Issued cert = untrusted.issue("mx.nostarttls.dane.test", List.of("mx.nostarttls.dane.test"), false);
        try (PostfixPeer postfix = DaneFarSide.postfix(dir, "nostarttls.dane.test", cert);
             Outbound.MailLogLines log = new Outbound.MailLogLines()) {
            String record = "3 1 1 " + DaneFarSide.spkiSha256(cert.cert());
            signed.add(DaneFarSide.tlsaOwner("mx.nostarttls", postfix.port()), "TLSA", record);
            postfix.restart(postfix.settings().with("smtpd_tls_security_level", "none"));
            try (Tern tern = startTern("nostarttls", "auto", postfix.port())) {
                String id = send(tern, "bob@nostarttls.dane.test", "no starttls");

                String where = "mx.nostarttls.dane.test[127.0.0.1]:" + postfix.port();
                DaneFarSide.assertDeferred(log, tern, id, "bob@nostarttls.dane.test",
                        "TLS required but not available: " + where + " does not offer STARTTLS (tls-policy dane)");
                assertThat(log.await(l -> l.startsWith(id + ": smtp-tried"), WAIT).orElseThrow())
                        .contains("relay=" + where).contains("tls-policy=dane").doesNotContain("tls=TLS");
                DaneFarSide.assertNothingReachedPostfix(postfix);
                assertThat(tlsCounts(tern, "nostarttls.dane.test")).singleElement().satisfies(r -> {
                    assertPolicy(r, "tlsa", List.of(record), "mx.nostarttls.dane.test");
                    assertThat(r.successes()).isZero();
                    assertThat(r.failures()).isEqualTo(1);
                    assertThat(r.details()).singleElement()
                            .satisfies(d -> assertThat(d.resultType()).isEqualTo("starttls-not-supported"));
                });
            }
            DaneFarSide.assertNoMailInPlaintext(postfix);
        }
    }

    /**
     * Signed TLSA records that SMTP cannot use (PKIX-EE, RFC 7672 §3.1.3) still make TLS mandatory (§2.2), without
     * checking the certificate: no STARTTLS defers; once Postfix offers it again, any certificate will do.
     */
    @Test
    void onlyUnusableRecordsStillRequireTls() throws Exception {
        TestPki.Issued cert = untrusted.issue("mx.pkix.dane.test", List.of("mx.pkix.dane.test"), false);
        try (PostfixPeer postfix = DaneFarSide.postfix(dir, "pkix.dane.test", cert);
             Outbound.MailLogLines log = new Outbound.MailLogLines()) {
            signed.add(DaneFarSide.tlsaOwner("mx.pkix", postfix.port()), "TLSA",
                    "1 1 1 " + DaneFarSide.spkiSha256(cert.cert()));
            PostfixSettings withTls = postfix.settings();
            postfix.restart(withTls.with("smtpd_tls_security_level", "none"));
            try (Tern tern = startTern("pkix", "auto", postfix.port())) {
                String id = send(tern, "bob@pkix.dane.test", "unusable records");

                String where = "mx.pkix.dane.test[127.0.0.1]:" + postfix.port();
                DaneFarSide.assertDeferred(log, tern, id, "bob@pkix.dane.test",
                        "TLS required but not available: " + where + " does not offer STARTTLS (tls-policy dane)");
                DaneFarSide.assertNothingReachedPostfix(postfix);

                postfix.restart(withTls);
                String data = tern.config().dataDir().toString();
                assertThat(Outbound.tern("queue", "flush", id, "--data", data).out()).isEqualTo("flushed " + id + "\n");
                DaneFarSide.assertDelivered(postfix, log, tern, id, "bob@pkix.dane.test", "dane");
            }
            DaneFarSide.assertNoMailInPlaintext(postfix);
        }
    }

    /**
     * A TLSA RRset whose signature does not verify: unbound answers SERVFAIL, and the host is used neither with TLS
     * nor without (RFC 7672 §2.2.1); Postfix never sees a connection.
     */
    @Test
    void aBrokenTlsaSignatureKeepsTheHostOut() throws Exception {
        TestPki.Issued cert = untrusted.issue("mx.bogus.dane.test", List.of("mx.bogus.dane.test"), false);
        try (PostfixPeer postfix = DaneFarSide.postfix(dir, "bogus.dane.test", cert);
             Outbound.MailLogLines log = new Outbound.MailLogLines()) {
            String owner = DaneFarSide.tlsaOwner("mx.bogus", postfix.port());
            signed.add(owner, "TLSA", "3 1 1 " + DaneFarSide.spkiSha256(cert.cert())).breakSignature(owner, "TLSA");
            // PostfixPeer's own check at its start that Postfix greets: one session, QUIT alone.
            assertThat(postfix.awaitLog(l -> l.contains(" disconnect from ") && l.endsWith(" quit=1 commands=1"),
                    WAIT)).isPresent();
            try (Tern tern = startTern("bogus", "auto", postfix.port())) {
                String id = send(tern, "bob@bogus.dane.test", "bogus tlsa");

                String tlsaName = owner + ".dane.test";
                DaneFarSide.assertDeferred(log, tern, id, "bob@bogus.dane.test",
                        "TLSA lookup for " + tlsaName + " failed: ");
                assertThat(log.await(l -> l.startsWith(id + ": smtp-tried"), WAIT).orElseThrow())
                        .contains("relay=mx.bogus.dane.test ").contains("tls-policy=dane").contains("SERVFAIL");
                assertThat(postfix.log()).as("Postfix was never contacted but by PostfixPeer's check")
                        .filteredOn(l -> l.contains(": connect from ")).hasSize(1);
                assertThat(postfix.maildirMessages()).isEmpty();
                assertThat(tlsCounts(tern, "bogus.dane.test")).singleElement().satisfies(r -> {
                    assertPolicy(r, "tlsa", List.of(), "mx.bogus.dane.test");
                    assertThat(r.successes()).isZero();
                    assertThat(r.failures()).isEqualTo(1);
                    assertThat(r.details()).singleElement()
                            .satisfies(d -> assertThat(d.resultType()).isEqualTo("dnssec-invalid"));
                });
            }
        }
    }

    /**
     * Of two MX hosts, the preferred one's TLSA lookup fails (a broken signature): it is skipped, not tried without
     * DANE, and the message goes to the other one, authenticated by its own TLSA record. Both hosts are this Postfix.
     */
    @Test
    void aHostWhoseTlsaLookupFailsIsSkippedForTheNextMxHost() throws Exception {
        TestPki.Issued cert = untrusted.issue("mx2.pair.dane.test", List.of("mx2.pair.dane.test"), false);
        try (PostfixPeer postfix = DaneFarSide.postfix(dir, "pair.dane.test", "mx2.pair.dane.test", cert);
             Outbound.MailLogLines log = new Outbound.MailLogLines()) {
            String record = "3 1 1 " + DaneFarSide.spkiSha256(cert.cert());
            String first = DaneFarSide.tlsaOwner("mx1.pair", postfix.port());
            signed.add(first, "TLSA", record).breakSignature(first, "TLSA")
                    .add(DaneFarSide.tlsaOwner("mx2.pair", postfix.port()), "TLSA", record);
            try (Tern tern = startTern("pair", "auto", postfix.port())) {
                String id = send(tern, "bob@pair.dane.test", "second mx");

                DaneFarSide.assertDelivered(postfix, log, tern, id, "bob@pair.dane.test", "dane");
                assertThat(log.lines()).filteredOn(l -> l.startsWith(id + ": smtp-tried")).singleElement().asString()
                        .contains("relay=mx1.pair.dane.test ").contains("tls-policy=dane").contains("status=4.7.5")
                        .contains("TLSA lookup for " + first + ".dane.test failed: ");
                List<TlsReport.PolicyResult> counts = tlsCounts(tern, "pair.dane.test");
                assertThat(counts).hasSize(2);
                assertPolicy(counts.get(0), "tlsa", List.of(), "mx1.pair.dane.test");
                assertThat(counts.get(0).failures()).isEqualTo(1);
                assertThat(counts.get(0).details()).singleElement()
                        .satisfies(d -> assertThat(d.resultType()).isEqualTo("dnssec-invalid"));
                assertPolicy(counts.get(1), "tlsa", List.of(record), "mx2.pair.dane.test");
                assertThat(counts.get(1).successes()).isEqualTo(1);
                assertThat(counts.get(1).failures()).isZero();
            }
            DaneFarSide.assertNoMailInPlaintext(postfix);
        }
    }

    /**
     * A zone unbound has no trust anchor for is insecure: its TLSA record (for another key) is not DANE's business,
     * and the message goes under the configured {@code may}, over TLS since Postfix offers it.
     */
    @Test
    void anUnsignedZoneIsDeliveredUnderMay() throws Exception {
        TestPki.Issued cert = untrusted.issue("mx.plain.test", List.of("mx.plain.test"), false);
        TestPki.Issued other = untrusted.issue("mx.plain.test", List.of("mx.plain.test"), false);
        try (PostfixPeer postfix = DaneFarSide.postfix(dir, "plain.test", cert);
             Outbound.MailLogLines log = new Outbound.MailLogLines()) {
            plain.add(DaneFarSide.tlsaOwner("mx", postfix.port()), "TLSA",
                    "3 1 1 " + DaneFarSide.spkiSha256(other.cert()));
            try (Tern tern = startTern("plain", "auto", postfix.port())) {
                String id = send(tern, "bob@plain.test", "unsigned");

                DaneFarSide.assertDelivered(postfix, log, tern, id, "bob@plain.test", "may");
                assertThat(tlsCounts(tern, "plain.test")).singleElement().satisfies(r -> {
                    assertPolicy(r, "no-policy-found", List.of(), "mx.plain.test");
                    assertThat(r.successes()).isEqualTo(1);
                    assertThat(r.failures()).isZero();
                });
            }
            DaneFarSide.assertNoMailInPlaintext(postfix);
        }
    }

    private static void assertPolicy(TlsReport.PolicyResult result, String type, List<String> strings, String mx) {
        assertThat(result.policy().type()).isEqualTo(type);
        assertThat(result.policy().strings()).containsExactlyElementsOf(strings);
        assertThat(result.policy().mxHosts()).containsExactly(mx);
    }

    /** The day's TLS-RPT counts for one policy domain, as the report would hold them. */
    private static List<TlsReport.PolicyResult> tlsCounts(Tern tern, String domain) {
        return tern.tlsReporting().counts(LocalDate.now(ZoneOffset.UTC)).getOrDefault(domain, List.of());
    }

    /** Sends as alice@a.test (relayed: 127.0.0.1 is a trusted network); returns Tern's queue id. */
    private static String send(Tern tern, String to, String subject) throws Exception {
        try (SmtpTestClient client = new SmtpTestClient(tern.port("mx"))) {
            client.reply();
            client.command("EHLO client.a.test");
            String reply = client.sendMessage("alice@a.test", to, "From: alice@a.test\r\nTo: " + to
                    + "\r\nSubject: " + subject + "\r\n\r\nHello over DANE.");
            assertThat(reply).startsWith("250 ");
            client.command("QUIT");
            return reply.replaceAll(".*queued as (\\S+).*", "$1");
        }
    }

    /** Tern for a.test, relaying for 127.0.0.1 by MX through unbound, to Postfix's port. */
    private static Tern startTern(String name, String dane, int postfixPort) throws Exception {
        Path data = dir.resolve("tern-" + name);
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
                retry_initial = "1h"
                retry_max = "1h"
                [delivery]
                mx_port = %d
                connect_timeout = "5s"
                command_timeout = "10s"
                reuse_time = "0s"
                [dns]
                servers = ["127.0.0.1:%d"]
                timeout = "2s"
                retries = 1
                [dane]
                enabled = %s
                """.formatted(postfixPort, unbound.port(), dane.equals("auto") ? "\"auto\"" : dane), data);
        new FileDirectory(data, config.domains()).addUser("alice@a.test", "unused");
        return Tern.start(config);
    }
}
