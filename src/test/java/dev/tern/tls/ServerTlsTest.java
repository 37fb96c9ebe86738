package dev.tern.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real handshakes on loopback: protocol and cipher policy, SNI choice. */
class ServerTlsTest {

    private static TestPki pki;
    private static TestPki.Issued fallback;
    private static TestPki.Issued rsaSite;
    private static TestPki.Issued wildcard;

    @TempDir
    static Path dir;

    private Loopback loopback;

    @BeforeAll
    static void issue() throws Exception {
        pki = new TestPki();
        fallback = pki.issue("default.test", List.of("default.test"), false);
        rsaSite = pki.issue("a.example", List.of("a.example"), true);
        wildcard = pki.issue("wild.b.example", List.of("*.b.example"), false);
    }

    @BeforeEach
    void start() throws Exception {
        ServerTls tls = ServerTls.create(List.of(
                watch("default", fallback, TestPki.KeyForm.LEGACY),
                watch("a", rsaSite, TestPki.KeyForm.LEGACY),
                watch("b", wildcard, TestPki.KeyForm.PKCS8)));
        loopback = new Loopback(tls);
    }

    @AfterEach
    void stop() throws Exception {
        loopback.close();
    }

    static ReloadingCertificate watch(String name, TestPki.Issued issued, TestPki.KeyForm form) throws Exception {
        Path chain = dir.resolve(name + "-fullchain.pem");
        Path key = dir.resolve(name + "-privkey.pem");
        TestPki.write(issued, form, chain, key);
        return TlsCertificates.watch(chain, key);
    }

    @Test
    void modernClientGetsTls13AndTheServerSeesTheSameSession() throws Exception {
        Loopback.ClientView view = loopback.connect(pki, "default.test");

        assertThat(view.protocol()).isEqualTo("TLSv1.3");
        assertThat(loopback.nextServerResult()).isEqualTo(
                new TlsSession("TLSv1.3", view.cipherSuite(), "default.test"));
    }

    @Test
    void tls12ClientGetsAForwardSecretAeadSuite() throws Exception {
        Loopback.ClientView view = loopback.connect(pki, null, List.of("TLSv1.2"), List.of());

        assertThat(view.protocol()).isEqualTo("TLSv1.2");
        assertThat(view.cipherSuite()).startsWith("TLS_ECDHE_").containsAnyOf("_GCM_", "_CHACHA20_");
    }

    @Test
    void cbcOnlyClientIsRefused() {
        assertThatThrownBy(() -> loopback.connect(pki, null, List.of("TLSv1.2"),
                List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256")))
                .isInstanceOf(SSLException.class);
    }

    @Test
    void listeningSocketOffersOnlyTls12And13() {
        assertThat(loopback.socket().getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(loopback.socket().getEnabledCipherSuites()).allSatisfy(suite ->
                assertThat(suite).matches("TLS_(AES|CHACHA20).*|TLS_ECDHE_(RSA|ECDSA)_WITH_(AES_\\d+_GCM|CHACHA20_POLY1305)_SHA\\d+"));
        assertThat(loopback.socket().getSSLParameters().getUseCipherSuitesOrder()).isTrue();
    }

    /**
     * The JDK client cannot offer TLS 1.1 any more, so a TLS 1.1 ClientHello is written by hand: the
     * server must answer with a fatal protocol_version alert (RFC 8446 section 6.2), not a ServerHello.
     */
    @Test
    void tls11ClientHelloIsRefusedWithAnAlert() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), loopback.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(tls11ClientHello());
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] record = in.readNBytes(7);
            assertThat(record[0]).as("record type: alert").isEqualTo((byte) 21);
            assertThat(record[5]).as("alert level: fatal").isEqualTo((byte) 2);
            assertThat(record[6]).as("alert: protocol_version").isEqualTo((byte) 70);
        }
        assertThat(loopback.nextServerResult()).isInstanceOf(SSLException.class);
    }

    @Test
    void sniPicksTheCertificateForTheName() throws Exception {
        assertThat(loopback.connect(pki, "a.example").peer()).isEqualTo(rsaSite.cert());
        assertThat(loopback.connect(pki, "mx.b.example").peer()).isEqualTo(wildcard.cert());
        assertThat(loopback.connect(pki, "default.test").peer()).isEqualTo(fallback.cert());
    }

    @Test
    void noSniOrAnUnknownNameGetsTheDefault() throws Exception {
        assertThat(loopback.connect(pki, null).peerName()).isEqualTo("CN=default.test");
        assertThat(loopback.connect(pki, "elsewhere.example").peerName()).isEqualTo("CN=default.test");
        assertThat(loopback.connect(pki, "b.example").peerName()).as("wildcard does not cover the apex")
                .isEqualTo("CN=default.test");
    }

    @Test
    void clientThatOnlyTakesRsaGetsTheRsaCertificateWhenTheDefaultIsEc() throws Exception {
        Loopback.ClientView view = loopback.connect(pki, null, List.of("TLSv1.2"),
                List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));

        assertThat(view.peer()).isEqualTo(rsaSite.cert());
    }

    @Test
    void implicitTlsOverAnAcceptedPlainSocket() throws Exception {
        ServerTls tls = ServerTls.create(List.of(watch("plain", fallback, TestPki.KeyForm.PKCS8)));
        try (var plainServer = new java.net.ServerSocket()) {
            plainServer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            var accepted = Thread.ofVirtual().start(() -> {
                try (Socket socket = plainServer.accept(); var upgraded = tls.upgrade(socket)) {
                    upgraded.getOutputStream().write("220 ready\r\n".getBytes());
                    upgraded.getOutputStream().flush();
                    upgraded.getInputStream().read();
                } catch (Exception ignored) {
                    // the client's assertions report any failure
                }
            });
            try (var client = (javax.net.ssl.SSLSocket) pki.clientContext().getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), plainServer.getLocalPort())) {
                client.setSoTimeout(20_000);
                assertThat(new String(client.getInputStream().readNBytes(11))).isEqualTo("220 ready\r\n");
                assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
            }
            accepted.join();
        }
    }

    /** A minimal TLS 1.1 ClientHello (RFC 4346 section 7.4.1.2) offering two TLS 1.1 suites. */
    private static byte[] tls11ClientHello() {
        byte[] body = new byte[2 + 32 + 1 + 2 + 4 + 2];
        int i = 0;
        body[i++] = 3; body[i++] = 2;             // client_version TLS 1.1
        i += 32;                                  // random (zeros will do)
        body[i++] = 0;                            // session_id length
        body[i++] = 0; body[i++] = 4;             // cipher_suites length
        body[i++] = (byte) 0xC0; body[i++] = 0x13; // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
        body[i++] = 0x00; body[i++] = 0x2F;        // TLS_RSA_WITH_AES_128_CBC_SHA
        body[i++] = 1; body[i] = 0;               // compression: null
        byte[] record = new byte[5 + 4 + body.length];
        record[0] = 22; record[1] = 3; record[2] = 2;
        record[3] = (byte) ((4 + body.length) >> 8); record[4] = (byte) (4 + body.length);
        record[5] = 1;                            // handshake type: client_hello
        record[6] = 0; record[7] = (byte) (body.length >> 8); record[8] = (byte) body.length;
        System.arraycopy(body, 0, record, 9, body.length);
        return record;
    }
}
