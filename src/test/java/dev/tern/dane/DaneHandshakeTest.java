package dev.tern.dane;

import static dev.tern.dane.TestCertificates.tlsa;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The trust manager in a real TLS handshake on loopback: JSSE calls it, and its refusal ends the handshake. */
class DaneHandshakeTest {

    @Test
    void aMatchingRecordCompletesTheHandshakeAndAnotherEndsIt() throws Exception {
        TestCertificates.Issued root = TestCertificates.root("Handshake Root");
        TestCertificates.Issued leaf = root.issue("mx.example.org", List.of("mx.example.org"), false);
        TestCertificates.Issued other = root.issue("mx.example.org", List.of("mx.example.org"), false);

        try (HandshakeServer server = new HandshakeServer(leaf.keys().getPrivate(), leaf.cert(), root.cert())) {
            assertThatCode(() -> server.handshake(DaneTrustManager.forRecords(new TlsaLookup.Usable(
                    List.of(tlsa(3, 1, 1, leaf.cert())), List.of("mx.example.org"), "_25._tcp.mx.example.org"))))
                    .doesNotThrowAnyException();
            assertThatCode(() -> server.handshake(DaneTrustManager.forRecords(new TlsaLookup.Usable(
                    List.of(tlsa(2, 0, 1, root.cert())), List.of("mx.example.org"), "_25._tcp.mx.example.org"))))
                    .doesNotThrowAnyException();
            assertThatThrownBy(() -> server.handshake(DaneTrustManager.forRecords(new TlsaLookup.Usable(
                    List.of(tlsa(3, 1, 1, other.cert())), List.of("mx.example.org"), "_25._tcp.mx.example.org"))))
                    .isInstanceOf(SSLHandshakeException.class)
                    .satisfies(e -> assertThat(e.getCause()).isInstanceOf(DaneCertificateException.class)
                            .hasMessageContaining("no TLSA record at _25._tcp.mx.example.org matches"));
        }
    }
}
