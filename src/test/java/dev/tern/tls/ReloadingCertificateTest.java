package dev.tern.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingCertificateTest {

    private static TestPki pki;
    private static TestPki.Issued first;
    private static TestPki.Issued second;
    private static TestPki.Issued third;

    @TempDir
    Path dir;
    private Path chain;
    private Path key;

    @BeforeAll
    static void issue() throws Exception {
        pki = new TestPki();
        first = pki.issue("first.example", List.of("mx.example"), false);
        second = pki.issue("second.example", List.of("mx.example"), false);
        third = pki.issue("third.example", List.of("mx.example"), true);
    }

    @BeforeEach
    void files() throws Exception {
        chain = dir.resolve("fullchain.pem");
        key = dir.resolve("privkey.pem");
        TestPki.write(first, TestPki.KeyForm.PKCS8, chain, key);
    }

    @Test
    void newHandshakeSeesTheRenewedCertificate() throws Exception {
        ReloadingCertificate watched = TlsCertificates.watch(chain, key, Duration.ZERO);
        try (Loopback loopback = new Loopback(ServerTls.create(List.of(watched)))) {
            assertThat(loopback.connect(pki, "mx.example").peer()).isEqualTo(first.cert());

            TestPki.replace(second, TestPki.KeyForm.LEGACY, chain, key);

            assertThat(loopback.connect(pki, "mx.example").peer()).isEqualTo(second.cert());
        }
    }

    @Test
    void brokenReplacementKeepsTheOldCertificateUntilFixed() throws Exception {
        ReloadingCertificate watched = TlsCertificates.watch(chain, key, Duration.ZERO);
        try (Loopback loopback = new Loopback(ServerTls.create(List.of(watched)))) {
            // a renewal caught half way: the new chain is there, its key is not
            Files.writeString(chain, TestPki.pem(second.cert()));

            assertThat(loopback.connect(pki, "mx.example").peer()).isEqualTo(first.cert());
            assertThat(watched.current().leaf()).isEqualTo(first.cert());

            TestPki.replace(third, TestPki.KeyForm.LEGACY, chain, key);

            assertThat(loopback.connect(pki, "mx.example").peer()).isEqualTo(third.cert());
        }
    }

    @Test
    void filesAreNotCheckedBeforeTheIntervalButCanBeCheckedOnDemand() throws Exception {
        ReloadingCertificate watched = TlsCertificates.watch(chain, key, Duration.ofHours(1));
        TestPki.replace(second, TestPki.KeyForm.PKCS8, chain, key);

        assertThat(watched.current().leaf()).isEqualTo(first.cert());
        assertThat(watched.reloadIfChanged()).isTrue();
        assertThat(watched.current().leaf()).isEqualTo(second.cert());
        assertThat(watched.reloadIfChanged()).as("nothing changed since").isFalse();
    }

    @Test
    void deletedFilesKeepTheOldCertificate() throws Exception {
        ReloadingCertificate watched = TlsCertificates.watch(chain, key, Duration.ZERO);
        Files.delete(key);

        assertThat(watched.reloadIfChanged()).isFalse();
        assertThat(watched.current().leaf()).isEqualTo(first.cert());
    }

    @Test
    void unusableFilesAtStartAreFatal() throws Exception {
        Files.writeString(key, "garbage");

        assertThatThrownBy(() -> TlsCertificates.watch(chain, key)).isInstanceOf(TlsFileException.class)
                .hasMessageStartingWith(key.toString());
    }

    @Test
    void aHandshakeKeepsTheGenerationItChoseAcrossAReload() throws Exception {
        ReloadingCertificate watched = TlsCertificates.watch(chain, key, Duration.ZERO);
        SniKeyManager manager = new SniKeyManager(List.of(watched));
        String alias = manager.choose("EC", "mx.example");

        TestPki.replace(second, TestPki.KeyForm.PKCS8, chain, key);
        String after = manager.choose("EC", "mx.example");

        assertThat(after).isNotEqualTo(alias);
        assertThat(manager.getCertificateChain(alias)[0]).isEqualTo(first.cert());
        assertThat(manager.getPrivateKey(alias)).isEqualTo(first.keys().getPrivate());
        assertThat(manager.getCertificateChain(after)[0]).isEqualTo(second.cert());
        assertThat(manager.getPrivateKey("nonsense")).isNull();
    }
}
