package dev.tern.dane;

import static dev.tern.dane.TestCertificates.chain;
import static dev.tern.dane.TestCertificates.tlsa;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.dane.TestCertificates.Issued;
import dev.tern.dns.TlsaRecord;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The certificate checks of RFC 7672 §3.1 and RFC 7671 §5 over chains made in the test. */
class DaneTrustManagerTest {

    private static final String HOST = "mx.example.org";
    private static final String TLSA_NAME = "_25._tcp.mx.example.org";

    private static Issued root;
    private static Issued intermediate;
    private static Issued leaf;
    private static Issued stranger;

    @BeforeAll
    static void pki() throws Exception {
        root = TestCertificates.root("DANE Test Root");
        intermediate = root.issue("DANE Test Intermediate", List.of(), true);
        leaf = intermediate.issue(HOST, List.of(HOST), false);
        stranger = TestCertificates.root("Someone Else");
    }

    private static DaneTrustManager manager(TlsaRecord... records) {
        return DaneTrustManager.forRecords(new TlsaLookup.Usable(List.of(records), List.of(HOST), TLSA_NAME));
    }

    private static DaneTrustManager manager(Clock clock, TlsaRecord... records) {
        return DaneTrustManager.forRecords(new TlsaLookup.Usable(List.of(records), List.of(HOST), TLSA_NAME), clock);
    }

    private static void assertFails(DaneTrustManager manager, X509Certificate[] chain, String resultType,
            String message) {
        assertThatThrownBy(() -> manager.checkServerTrusted(chain, "ECDHE_ECDSA"))
                .isInstanceOfSatisfying(DaneCertificateException.class,
                        e -> assertThat(e.resultType()).isEqualTo(resultType))
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "3 {0} {1}")
    @CsvSource({"0, 0", "0, 1", "0, 2", "1, 0", "1, 1", "1, 2"})
    void daneEeMatchesTheLeafByEverySelectorAndMatchingType(int selector, int matchingType) throws Exception {
        DaneTrustManager manager = manager(tlsa(3, selector, matchingType, leaf.cert()));

        assertThatCode(() -> manager.checkServerTrusted(chain(leaf, intermediate), "ECDHE_ECDSA"))
                .doesNotThrowAnyException();
        assertFails(manager, chain(intermediate.issue(HOST, List.of(HOST), false)), "validation-failure",
                "no TLSA record at " + TLSA_NAME + " matches");
    }

    @ParameterizedTest(name = "2 {0} {1}")
    @CsvSource({"0, 0", "0, 1", "0, 2", "1, 0", "1, 1", "1, 2"})
    void daneTaMatchesTheRootOrTheIntermediateInTheChain(int selector, int matchingType) throws Exception {
        assertThatCode(() -> manager(tlsa(2, selector, matchingType, root.cert()))
                .checkServerTrusted(chain(leaf, intermediate, root), "ECDHE_ECDSA")).doesNotThrowAnyException();
        assertThatCode(() -> manager(tlsa(2, selector, matchingType, intermediate.cert()))
                .checkServerTrusted(chain(leaf, intermediate), "ECDHE_ECDSA")).doesNotThrowAnyException();
        assertFails(manager(tlsa(2, selector, matchingType, stranger.cert())), chain(leaf, intermediate, root),
                "validation-failure", "no TLSA record");
    }

    /** RFC 7671 §5.2.3: a 2 1 0 record may name a key the server does not send; it must sign the top of the chain. */
    @Test
    void aDaneTaPublicKeyOutsideTheChainSignsItsTop() throws Exception {
        assertThatCode(() -> manager(tlsa(2, 1, 0, root.cert())).checkServerTrusted(chain(leaf, intermediate), "EC"))
                .doesNotThrowAnyException();
        // A digest cannot be checked against a signature: the key must be in the chain for 2 1 1.
        assertFails(manager(tlsa(2, 1, 1, root.cert())), chain(leaf, intermediate), "validation-failure",
                "no TLSA record");
        assertFails(manager(tlsa(2, 1, 0, stranger.cert())), chain(leaf, intermediate), "validation-failure",
                "no TLSA record");
    }

    /** The leaf is never its own trust anchor: a DANE-TA record that matches only the leaf matches nothing. */
    @Test
    void daneTaDoesNotTakeTheLeafAsAnchor() throws Exception {
        assertFails(manager(tlsa(2, 1, 1, leaf.cert())), chain(leaf, intermediate, root), "validation-failure",
                "no TLSA record");
    }

    @Test
    void daneTaChecksTheLeafNameAgainstTheReferenceNames() throws Exception {
        TlsaRecord anchor = tlsa(2, 0, 1, root.cert());
        Issued wildcard = intermediate.issue("whatever", List.of("*.example.org"), false);
        Issued tooDeep = intermediate.issue("whatever", List.of("*.org"), false);
        Issued other = intermediate.issue(HOST, List.of("smtp.example.org"), false);
        Issued commonNameOnly = intermediate.issue(HOST, List.of(), false);

        assertThatCode(() -> manager(anchor).checkServerTrusted(chain(wildcard, intermediate, root), "EC"))
                .doesNotThrowAnyException();
        assertThatCode(() -> manager(anchor).checkServerTrusted(chain(commonNameOnly, intermediate, root), "EC"))
                .doesNotThrowAnyException();
        assertFails(manager(anchor), chain(tooDeep, intermediate, root), "certificate-host-mismatch",
                "names *.org, not " + HOST);
        // The common name is not looked at when the certificate has DNS names.
        assertFails(manager(anchor), chain(other, intermediate, root), "certificate-host-mismatch",
                "names smtp.example.org, not " + HOST);
    }

    /** DANE-EE binds the key alone (RFC 7672 §3.1.1): neither names nor dates matter. */
    @Test
    void daneEeIgnoresNamesAndDates() throws Exception {
        Issued expired = intermediate.issue("elsewhere.example", List.of("elsewhere.example"), false,
                Instant.now().minus(Duration.ofDays(400)), Instant.now().minus(Duration.ofDays(30)));

        assertThatCode(() -> manager(tlsa(3, 1, 1, expired.cert())).checkServerTrusted(chain(expired), "EC"))
                .doesNotThrowAnyException();
    }

    @Test
    void daneTaRefusesAnExpiredChain() throws Exception {
        Instant past = Instant.now().minus(Duration.ofDays(400));
        Issued expiredLeaf = intermediate.issue(HOST, List.of(HOST), false, past, Instant.now().minus(Duration.ofDays(1)));
        Issued expiredIntermediate = root.issue("Old Intermediate", List.of(), true, past,
                Instant.now().minus(Duration.ofDays(1)));
        Issued underIt = expiredIntermediate.issue(HOST, List.of(HOST), false);
        TlsaRecord anchor = tlsa(2, 1, 1, root.cert());

        assertFails(manager(anchor), chain(expiredLeaf, intermediate, root), "certificate-expired",
                "certificate 0 of the chain expired");
        assertFails(manager(anchor), chain(underIt, expiredIntermediate, root), "certificate-expired",
                "certificate 1 of the chain expired");
        // The same chain with DANE-EE for its leaf passes: the contrast RFC 7672 §3.1 draws.
        assertThatCode(() -> manager(tlsa(3, 1, 1, expiredLeaf.cert()))
                .checkServerTrusted(chain(expiredLeaf, intermediate, root), "EC")).doesNotThrowAnyException();
        // And a chain valid now is refused at a time after it ends.
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(60)), ZoneOffset.UTC);
        assertFails(manager(later, anchor), chain(leaf, intermediate, root), "certificate-expired", "expired");
    }

    @Test
    void daneTaRefusesAChainThatDoesNotVerify() throws Exception {
        // Same issuer name, different key: the signature does not verify.
        Issued impostor = TestCertificates.root("DANE Test Intermediate");
        Issued forged = impostor.issue(HOST, List.of(HOST), false);
        assertFails(manager(tlsa(2, 0, 1, root.cert())), chain(forged, intermediate, root), "validation-failure",
                "certificate 0 of the chain has no valid signature of certificate 1");

        // Out of order: the leaf is not issued by the next certificate.
        assertFails(manager(tlsa(2, 0, 1, root.cert())), chain(leaf, root), "validation-failure",
                "certificate 0 of the chain was not issued by certificate 1");

        // A leaf certificate may not issue another.
        Issued notCa = intermediate.issue("Not A CA", List.of(), false);
        Issued underNotCa = notCa.issue(HOST, List.of(HOST), false);
        assertFails(manager(tlsa(2, 0, 1, root.cert())), chain(underNotCa, notCa, intermediate, root),
                "validation-failure", "certificate 1 of the chain is not a CA certificate");
    }

    @Test
    void anyUsableRecordThatPassesIsEnoughAndTheTellingFailureIsReported() throws Exception {
        DaneTrustManager manager = manager(tlsa(3, 1, 1, stranger.cert()), tlsa(2, 1, 1, root.cert()));
        assertThatCode(() -> manager.checkServerTrusted(chain(leaf, intermediate, root), "EC"))
                .doesNotThrowAnyException();

        Issued misnamed = intermediate.issue("x", List.of("other.example.org"), false);
        assertFails(manager, chain(misnamed, intermediate, root), "certificate-host-mismatch", "names other.example.org");
        assertFails(manager, new X509Certificate[0], "validation-failure", "presented no certificate");
    }

    @Test
    void clientCertificatesAreNotItsBusiness() {
        DaneTrustManager manager = manager(new TlsaRecord(3, 1, 1, new byte[32]));
        assertThatThrownBy(() -> manager.checkClientTrusted(chain(leaf), "EC")).hasMessageContaining("servers only");
        assertThat(manager.getAcceptedIssuers()).isEmpty();
    }
}
