package dev.tern.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedTest {

    @TempDir
    Path data;

    @Test
    void createdOnFirstUseForTheHostName() throws Exception {
        Path dir = data.resolve("tls");
        CertifiedKey made = TlsCertificates.selfSigned(dir, "mail.example").current();

        assertThat(made.names()).containsExactly("mail.example");
        assertThat(made.keyType()).isEqualTo("EC");
        assertThat(made.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=mail.example");
        Instant notAfter = made.leaf().getNotAfter().toInstant();
        assertThat(notAfter).isBetween(Instant.now().plus(Duration.ofDays(360)), Instant.now().plus(Duration.ofDays(366)));
        assertThat(Files.readString(dir.resolve("selfsigned-privkey.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("selfsigned-privkey.pem"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("selfsigned-fullchain.pem"))))
                .isEqualTo("rw-------");
        assertThat(made.warnings(Instant.now())).isEmpty();
    }

    @Test
    void reusedOnLaterStarts() throws Exception {
        CertifiedKey made = TlsCertificates.selfSigned(data, "mail.example").current();
        CertifiedKey again = TlsCertificates.selfSigned(data, "MAIL.example").current();

        assertThat(again.fingerprint()).isEqualTo(made.fingerprint());
        assertThat(again.privateKey()).isEqualTo(made.privateKey());
    }

    @Test
    void replacedWhenExpired() throws Exception {
        TestPki pki = new TestPki();
        Instant now = Instant.now();
        TestPki.Issued expired = pki.issue("mail.example", List.of("mail.example"), false,
                now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(35)));
        TestPki.write(expired, TestPki.KeyForm.PKCS8,
                data.resolve(SelfSigned.CHAIN_FILE), data.resolve(SelfSigned.KEY_FILE));

        CertifiedKey made = TlsCertificates.selfSigned(data, "mail.example").current();

        assertThat(made.leaf()).isNotEqualTo(expired.cert());
        assertThat(made.warnings(now)).isEmpty();
    }

    @Test
    void replacedWhenMadeForAnotherNameOrBroken() throws Exception {
        CertifiedKey old = TlsCertificates.selfSigned(data, "old.example").current();
        CertifiedKey renamed = TlsCertificates.selfSigned(data, "new.example").current();
        assertThat(renamed.names()).containsExactly("new.example");
        assertThat(renamed.fingerprint()).isNotEqualTo(old.fingerprint());

        Files.writeString(data.resolve(SelfSigned.KEY_FILE), "truncated");
        CertifiedKey repaired = TlsCertificates.selfSigned(data, "new.example").current();
        assertThat(repaired.fingerprint()).isNotEqualTo(renamed.fingerprint());
    }

    @Test
    void servesAHandshakeToAClientThatTrustsIt() throws Exception {
        ReloadingCertificate cert = TlsCertificates.selfSigned(data, "localhost");
        var trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("self", cert.current().leaf());
        var factory = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        factory.init(trust);
        var client = javax.net.ssl.SSLContext.getInstance("TLS");
        client.init(null, factory.getTrustManagers(), null);

        try (Loopback loopback = new Loopback(ServerTls.create(List.of(cert)));
                var socket = (javax.net.ssl.SSLSocket) client.getSocketFactory()
                        .createSocket(java.net.InetAddress.getLoopbackAddress(), loopback.port())) {
            socket.setSoTimeout(20_000);
            socket.startHandshake();
            assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(cert.current().leaf());
        }
    }
}
