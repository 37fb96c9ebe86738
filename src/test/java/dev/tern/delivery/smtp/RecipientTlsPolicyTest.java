package dev.tern.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.DeliverySettings.TlsPolicy;
import dev.tern.dane.Dane;
import dev.tern.dane.TlsaLookup;
import dev.tern.delivery.Outcome;
import dev.tern.delivery.Outcome.Status;
import dev.tern.delivery.Parcel;
import dev.tern.dns.TlsaRecord;
import dev.tern.sts.StsLookup;
import dev.tern.sts.StsPolicies;
import dev.tern.sts.StsPolicy;
import dev.tern.testlog.MailLogCapture;
import dev.tern.testsmtp.ScriptedPeer;
import dev.tern.tls.ReloadingCertificate;
import dev.tern.tls.ServerTls;
import dev.tern.tls.TlsCertificates;
import dev.tern.tlsrpt.TlsOutcome;
import dev.tern.tlsrpt.TlsOutcome.PolicyType;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipient domain's policies as the courier applies them to a real TLS peer: DANE (RFC 7672), MTA-STS
 * (RFC 8461), their order, TLS-RPT outcomes (RFC 8460) and REQUIRETLS (RFC 8689). The policies themselves come
 * from hand-written answers to the two seams; their lookups are tested with their packages.
 */
class RecipientTlsPolicyTest {

    @TempDir
    static Path dir;
    private static ServerTls serverTls;
    private static Path caFile;
    private static byte[] spkiSha256;

    private final CourierFixture world = new CourierFixture();
    private final ScriptedPeer peer = world.peer;
    private final List<TlsOutcome> reported = new CopyOnWriteArrayList<>();
    private TlsaLookup dane = new TlsaLookup.NotApplicable("no TLSA records");
    private StsLookup sts = new StsLookup.None();
    private final java.util.concurrent.atomic.AtomicInteger stsAsked = new java.util.concurrent.atomic.AtomicInteger();
    /** What the DANE seam was asked: "domain host port". */
    private final List<String> daneAsked = new CopyOnWriteArrayList<>();

    RecipientTlsPolicyTest() throws Exception {
    }

    @BeforeAll
    static void certificate() throws Exception {
        // A self-signed certificate for mx1.example.test: its own trust anchor as the CA file.
        ReloadingCertificate cert = TlsCertificates.selfSigned(dir, "mx1.example.test");
        caFile = cert.chainFile();
        serverTls = ServerTls.create(List.of(cert));
        X509Certificate x509;
        try (InputStream in = Files.newInputStream(caFile)) {
            x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        spkiSha256 = MessageDigest.getInstance("SHA-256").digest(x509.getPublicKey().getEncoded());
    }

    @BeforeEach
    void world() {
        peer.tls = serverTls;
        peer.extensions("PIPELINING", "STARTTLS", "8BITMIME");
        world.settings = world.settings.withTls(TlsPolicy.MAY, caFile, Map.of());
        Dane daneSeam = (domain, host, port) -> {
            daneAsked.add(domain + " " + host + " " + port);
            return dane;
        };
        StsPolicies stsSeam = domain -> {
            stsAsked.incrementAndGet();
            return sts;
        };
        world.security = new OutboundSecurity(stsSeam, daneSeam, reported::add);
    }

    @AfterEach
    void close() throws Exception {
        world.close();
    }

    private List<Outcome> send(Parcel parcel) throws Exception {
        return world.courier().deliver(parcel);
    }

    private List<Outcome> send() throws Exception {
        return send(Parcels.of("alice@here.test", "bob@example.test"));
    }

    private static TlsaLookup.Usable tlsa(byte[] spki) {
        return new TlsaLookup.Usable(List.of(new TlsaRecord(3, 1, 1, spki)), List.of("mx1.example.test"),
                "_25._tcp.mx1.example.test");
    }

    private static StsLookup.Found policy(StsPolicy.Mode mode, String... mx) {
        StsPolicy p = new StsPolicy(mode, List.of(mx), Duration.ofDays(7), "20261207");
        return new StsLookup.Found(p, "version: STSv1\nmode: " + mode.word() + "\nmx: " + String.join("\nmx: ", mx)
                + "\nmax_age: 604800\n");
    }

    private static void deferred(List<Outcome> outcomes, String code, String detail) {
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.DEFERRED);
            assertThat(o.enhancedCode()).isEqualTo(code);
            assertThat(o.detail()).contains(detail);
        });
    }

    private void noMailWasSent() {
        assertThat(peer.sessions()).allSatisfy(s -> assertThat(s.commands).noneMatch(c -> c.startsWith("MAIL")));
    }

    @Test
    void daneWithAMatchingRecordDeliversOverTlsAndReportsSuccess() throws Exception {
        dane = tlsa(spkiSha256);
        try (MailLogCapture log = new MailLogCapture()) {
            assertThat(send()).extracting(Outcome::status).containsExactly(Status.DELIVERED);
            assertThat(log.lines()).anyMatch(l -> l.contains("smtp-sent") && l.contains("tls-policy=dane"));
        }
        assertThat(peer.only().tls).isTrue();
        assertThat(reported).singleElement().satisfies(r -> {
            assertThat(r.success()).isTrue();
            assertThat(r.policyType()).isEqualTo(PolicyType.TLSA);
            assertThat(r.policyDomain()).isEqualTo("example.test");
            assertThat(r.mxHost()).isEqualTo("mx1.example.test");
            assertThat(r.receivingIp()).isEqualTo("127.0.0.1");
            assertThat(r.policyStrings()).singleElement().asString().startsWith("3 1 1 ");
        });
    }

    /**
     * The TLSA records are asked for at the port the MX host is reached at: 25 in production, the MX port of a
     * test network otherwise (RFC 6698 §3: a TLSA RRset describes the server at one port).
     */
    @Test
    void daneIsAskedAboutTheMxHostAtThePortConnectedTo() throws Exception {
        dane = tlsa(spkiSha256);
        assertThat(send()).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(daneAsked).containsExactly("example.test mx1.example.test " + peer.port());
    }

    @Test
    void daneWithAnotherKeyDefersAndNothingIsSent() throws Exception {
        dane = tlsa(new byte[32]);
        deferred(send(), "4.7.5", "TLS with mx1.example.test[127.0.0.1]");
        noMailWasSent();
        assertThat(peer.sessions()).hasSize(1); // no plaintext retry, as under may
        assertThat(reported).singleElement().satisfies(r -> {
            assertThat(r.success()).isFalse();
            assertThat(r.resultType()).isEqualTo("validation-failure");
        });
    }

    @Test
    void daneWithStartTlsStrippedDefersRatherThanSendInPlaintext() throws Exception {
        dane = tlsa(spkiSha256);
        peer.extensions("PIPELINING", "8BITMIME");
        deferred(send(), "4.7.5", "does not offer STARTTLS (tls-policy dane)");
        noMailWasSent();
        assertThat(reported).extracting(TlsOutcome::resultType).containsExactly("starttls-not-supported");
    }

    @Test
    void daneWithOnlyUnusableRecordsStillRequiresTls() throws Exception {
        dane = new TlsaLookup.Unusable("_25._tcp.mx1.example.test", "only PKIX-EE records");
        assertThat(send()).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(peer.only().tls).isTrue();
        assertThat(reported).extracting(TlsOutcome::resultType).containsExactly("tlsa-invalid");
        peer.extensions("PIPELINING");
        deferred(send(), "4.7.5", "does not offer STARTTLS");
    }

    @Test
    void aFailedTlsaLookupKeepsTheHostOutAltogether() throws Exception {
        dane = new TlsaLookup.Failed("_25._tcp.mx1.example.test", "dnssec-invalid", "SERVFAIL");
        deferred(send(), "4.7.5", "TLSA lookup for _25._tcp.mx1.example.test failed");
        assertThat(peer.sessions()).isEmpty();
        assertThat(reported).extracting(TlsOutcome::resultType).containsExactly("dnssec-invalid");
    }

    @Test
    void daneWinsOverAnMtaStsPolicyThatWouldRefuseTheHost() throws Exception {
        dane = tlsa(spkiSha256);
        sts = policy(StsPolicy.Mode.ENFORCE, "mx.elsewhere.test");
        assertThat(send()).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(stsAsked).as("a domain whose hosts all have DANE costs no MTA-STS lookup").hasValue(0);
    }

    @Test
    void mtaStsEnforceDeliversToANamedHostWithATrustedCertificate() throws Exception {
        sts = policy(StsPolicy.Mode.ENFORCE, "*.example.test");
        try (MailLogCapture log = new MailLogCapture()) {
            assertThat(send()).extracting(Outcome::status).containsExactly(Status.DELIVERED);
            assertThat(stsAsked).hasValue(1);
            assertThat(log.lines()).anyMatch(l -> l.contains("smtp-sent") && l.contains("tls-policy=mta-sts"));
        }
        assertThat(reported).singleElement().satisfies(r -> {
            assertThat(r.success()).isTrue();
            assertThat(r.policyType()).isEqualTo(PolicyType.STS);
            assertThat(r.policyStrings()).contains("mode: enforce", "mx: *.example.test");
        });
    }

    @Test
    void mtaStsEnforceLeavesOutAHostThePolicyDoesNotName() throws Exception {
        sts = policy(StsPolicy.Mode.ENFORCE, "mx.example.test");
        deferred(send(), "4.7.5", "not an MX host that the MTA-STS policy of example.test allows");
        assertThat(peer.sessions()).isEmpty();
    }

    @Test
    void mtaStsEnforceRefusesAnUntrustedCertificate() throws Exception {
        world.settings = world.settings.withTls(TlsPolicy.MAY, null, Map.of()); // the peer's certificate: untrusted
        sts = policy(StsPolicy.Mode.ENFORCE, "mx1.example.test");
        deferred(send(), "4.7.5", "(tls-policy mta-sts)");
        noMailWasSent();
        assertThat(reported).extracting(TlsOutcome::resultType).containsExactly("certificate-not-trusted");
    }

    @Test
    void mtaStsEnforceWithStartTlsStrippedDefers() throws Exception {
        sts = policy(StsPolicy.Mode.ENFORCE, "mx1.example.test");
        peer.extensions("PIPELINING");
        deferred(send(), "4.7.5", "does not offer STARTTLS (tls-policy mta-sts)");
        noMailWasSent();
    }

    @Test
    void mtaStsTestingDeliversButReportsWhatWouldHaveFailed() throws Exception {
        world.settings = world.settings.withTls(TlsPolicy.MAY, null, Map.of());
        sts = policy(StsPolicy.Mode.TESTING, "mx1.example.test");
        try (MailLogCapture log = new MailLogCapture()) {
            assertThat(send()).extracting(Outcome::status).containsExactly(Status.DELIVERED);
            assertThat(log.lines()).anyMatch(l -> l.contains("smtp-sent") && l.contains("tls-policy=mta-sts-testing"));
        }
        assertThat(peer.only().tls).isTrue();
        assertThat(reported).extracting(TlsOutcome::resultType).containsExactly("certificate-not-trusted");
    }

    @Test
    void aPolicyThatCannotBeFetchedIsReportedAndMailGoesAsConfigured() throws Exception {
        sts = new StsLookup.Failed("sts-policy-fetch-error", "connection refused");
        assertThat(send()).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(reported).extracting(TlsOutcome::resultType).containsExactly("sts-policy-fetch-error", null);
        assertThat(reported.get(1).policyType()).isEqualTo(PolicyType.NO_POLICY);
    }

    @Test
    void theOperatorsPolicyForADomainWinsOverTheDomainsOwn() throws Exception {
        world.settings = world.settings.withTls(TlsPolicy.MAY, caFile, Map.of("example.test", TlsPolicy.MAY));
        sts = policy(StsPolicy.Mode.ENFORCE, "mx.elsewhere.test");
        dane = new TlsaLookup.Failed("_25._tcp.mx1.example.test", "tlsa-invalid", "SERVFAIL");
        assertThat(send()).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(reported).isEmpty();
    }

    @Test
    void tlsRequiredNoSetsTheDomainsPoliciesAside() throws Exception {
        sts = policy(StsPolicy.Mode.ENFORCE, "mx.elsewhere.test");
        dane = new TlsaLookup.Failed("_25._tcp.mx1.example.test", "dnssec-invalid", "SERVFAIL");
        Parcel p = Parcels.of("alice@here.test", "bob@example.test");
        Parcel optional = new Parcel(p.id(), p.envelope().withTlsOptional(true), p.recipients(), p.content());
        try (MailLogCapture log = new MailLogCapture()) {
            assertThat(send(optional)).extracting(Outcome::status).containsExactly(Status.DELIVERED);
            assertThat(log.lines()).anyMatch(l -> l.contains("smtp-sent") && l.contains("tls-policy=may"));
        }
        assertThat(peer.only().tls).isTrue(); // still opportunistic TLS
    }

    @Test
    void anIdleConnectionOpenedBeforeAPolicyIsFoundDoesNotCarryTheNextMessage() throws Exception {
        world.settings = world.settings.withTls(TlsPolicy.MAY, null, Map.of()) // the peer's certificate: untrusted
                .withConcurrency(10, 5, Duration.ofSeconds(30));
        SmtpCourier courier = world.courier();
        assertThat(courier.deliver(Parcels.of("alice@here.test", "bob@example.test"))).extracting(Outcome::status)
                .containsExactly(Status.DELIVERED);

        sts = policy(StsPolicy.Mode.ENFORCE, "mx1.example.test"); // RFC 8461 §5: a verified certificate, now
        deferred(courier.deliver(Parcels.of("alice@here.test", "bob@example.test")), "4.7.5",
                "(tls-policy mta-sts)");

        assertThat(peer.sessions()).hasSize(2);
        assertThat(peer.sessions().get(0).quit).as("the idle session was closed, not reused").isTrue();
        assertThat(peer.sessions().get(1).commands).noneMatch(c -> c.startsWith("MAIL"));
    }

    private static Parcel requiringTls(String sender) {
        Parcel p = Parcels.of(sender, "bob@example.test");
        return new Parcel(p.id(), p.envelope().withRequireTls(true), p.recipients(), p.content());
    }

    @Test
    void requireTlsGoesOnlyToAnAuthenticatedHostThatOffersIt() throws Exception {
        sts = policy(StsPolicy.Mode.TESTING, "mx1.example.test"); // testing is raised to a verified certificate
        peer.extensions("PIPELINING", "STARTTLS", "8BITMIME", "REQUIRETLS");
        assertThat(send(requiringTls("alice@here.test"))).extracting(Outcome::status)
                .containsExactly(Status.DELIVERED);
        assertThat(peer.only().commands).anyMatch(c -> c.startsWith("MAIL FROM:<alice@here.test>")
                && c.endsWith(" REQUIRETLS"));
    }

    @Test
    void requireTlsFailsWithoutDaneOrMtaSts() throws Exception {
        peer.extensions("PIPELINING", "STARTTLS", "REQUIRETLS");
        assertThat(send(requiringTls("alice@here.test"))).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.FAILED);
            assertThat(o.enhancedCode()).isEqualTo("5.7.30");
        });
        assertThat(peer.sessions()).isEmpty();
    }

    @Test
    void requireTlsFailsWhenTheServerDoesNotOfferIt() throws Exception {
        dane = tlsa(spkiSha256);
        assertThat(send(requiringTls("alice@here.test"))).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.FAILED);
            assertThat(o.enhancedCode()).isEqualTo("5.7.30");
            assertThat(o.detail()).contains("does not offer REQUIRETLS");
        });
        noMailWasSent();
    }

    @Test
    void aBounceOfARequireTlsMessageGoesAsAnyOther() throws Exception {
        assertThat(send(requiringTls(""))).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(peer.only().commands).anyMatch(c -> c.equals("MAIL FROM:<> BODY=8BITMIME"));
    }
}
