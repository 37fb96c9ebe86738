package dev.tern.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PemLoaderTest {

    private static TestPki pki;
    private static TestPki.Issued rsa;
    private static TestPki.Issued ec;

    @TempDir
    Path dir;

    @BeforeAll
    static void issue() throws Exception {
        pki = new TestPki();
        rsa = pki.issue("rsa.example", List.of("rsa.example", "*.rsa.example"), true);
        ec = pki.issue("ec.example", List.of("ec.example"), false);
    }

    @ParameterizedTest
    @CsvSource({
        "true,  PKCS8,  BEGIN PRIVATE KEY,    RSA",
        "true,  LEGACY, BEGIN RSA PRIVATE KEY, RSA",
        "false, PKCS8,  BEGIN PRIVATE KEY,    EC",
        "false, LEGACY, BEGIN EC PRIVATE KEY,  EC"})
    void loadsEveryKeyFormCertbotAndOpensslWrite(boolean isRsa, TestPki.KeyForm form, String header, String type)
            throws Exception {
        TestPki.Issued issued = isRsa ? rsa : ec;
        Path chain = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        TestPki.write(issued, form, chain, key);
        assertThat(Files.readString(key)).contains("-----" + header + "-----");

        CertifiedKey loaded = TlsCertificates.load(chain, key);

        assertThat(loaded.keyType()).isEqualTo(type);
        assertThat(loaded.chain()).containsExactly(issued.cert(), issued.ca());
        assertThat(loaded.names()).isEqualTo(HostNames.of(issued.cert()));
        assertThat(loaded.warnings(Instant.now())).isEmpty();
    }

    @Test
    void keyOfAnotherCertificateIsRefusedNamingTheKeyFile() throws Exception {
        Path chain = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        TestPki.write(ec, TestPki.KeyForm.PKCS8, chain, key);
        Files.writeString(key, TestPki.keyPem(TestPki.ecKeys().getPrivate(), TestPki.KeyForm.PKCS8));

        assertThatThrownBy(() -> TlsCertificates.load(chain, key))
                .isInstanceOf(TlsFileException.class)
                .hasMessageContaining(key.toString())
                .hasMessageContaining("does not match");
    }

    @Test
    void rsaKeyForAnEcCertificateIsRefused() throws Exception {
        Path chain = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        TestPki.write(ec, TestPki.KeyForm.PKCS8, chain, key);
        Files.writeString(key, TestPki.keyPem(rsa.keys().getPrivate(), TestPki.KeyForm.LEGACY));

        assertThatThrownBy(() -> TlsCertificates.load(chain, key)).hasMessageContaining("does not match");
    }

    @Test
    void missingKeyFileIsNamed() throws Exception {
        Path chain = dir.resolve("fullchain.pem");
        TestPki.write(ec, TestPki.KeyForm.PKCS8, chain, dir.resolve("other.pem"));
        Path key = dir.resolve("privkey.pem");

        assertThatThrownBy(() -> TlsCertificates.load(chain, key))
                .isInstanceOf(TlsFileException.class)
                .hasMessage(key + ": file not found")
                .satisfies(e -> assertThat(((TlsFileException) e).file()).isEqualTo(key));
    }

    @Test
    void keyFileWithoutAKeyIsRefused() throws Exception {
        Path chain = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        TestPki.write(ec, TestPki.KeyForm.PKCS8, chain, key);
        Files.copy(chain, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> TlsCertificates.load(chain, key))
                .hasMessageStartingWith(key.toString())
                .hasMessageContaining("no PEM private key");
    }

    @Test
    void encryptedKeyIsRefusedWithTheReason() throws Exception {
        Path chain = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        TestPki.write(ec, TestPki.KeyForm.ENCRYPTED, chain, key);

        assertThatThrownBy(() -> TlsCertificates.load(chain, key)).hasMessageContaining("encrypted");
    }

    @Test
    void chainFileWithoutCertificateIsRefused() throws Exception {
        Path chain = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        TestPki.write(ec, TestPki.KeyForm.PKCS8, chain, key);
        Files.writeString(chain, "not a certificate\n");

        assertThatThrownBy(() -> TlsCertificates.load(chain, key))
                .hasMessageStartingWith(chain.toString())
                .hasMessageContaining("no PEM certificate");
    }

    @Test
    void corruptBase64IsRefusedNotThrownAsARuntimeError() throws Exception {
        Path chain = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        TestPki.write(ec, TestPki.KeyForm.PKCS8, chain, key);
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n@@@@ not base64 @@@@\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> TlsCertificates.load(chain, key))
                .isInstanceOf(TlsFileException.class)
                .hasMessageStartingWith(key.toString());
    }

    @Test
    void expiredCertificateLoadsWithAWarning() throws Exception {
        Instant now = Instant.now();
        TestPki.Issued expired = pki.issue("old.example", List.of("old.example"), false,
                now.minus(Duration.ofDays(100)), now.minus(Duration.ofDays(1)));
        Path chain = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        TestPki.write(expired, TestPki.KeyForm.LEGACY, chain, key);

        CertifiedKey loaded = TlsCertificates.load(chain, key);

        assertThat(loaded.warnings(now)).singleElement().asString().startsWith("certificate expired on ");
    }

    @Test
    void chainInTheWrongOrderIsAWarning() throws Exception {
        Path chain = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        TestPki.write(ec, TestPki.KeyForm.PKCS8, chain, key);
        Files.writeString(chain, TestPki.pem(ec.cert()) + TestPki.pem(rsa.cert()));

        assertThat(TlsCertificates.load(chain, key).warnings(Instant.now()))
                .anySatisfy(w -> assertThat(w).contains("chain out of order"));
    }
}
