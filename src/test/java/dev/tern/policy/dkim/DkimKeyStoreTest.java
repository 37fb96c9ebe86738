package dev.tern.policy.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DkimKeyStoreTest {

    @TempDir
    Path data;

    private void put(DkimKeyStore store, String domain, String selector, DkimAlgorithm alg, String pem) throws Exception {
        Path file = store.path(domain, selector, alg);
        Files.createDirectories(file.getParent());
        Files.writeString(file, pem);
    }

    @Test
    void loadsEveryKeyOfADomainRsaFirstAndReloadsWhenFilesChange() throws Exception {
        DkimKeyStore store = DkimKeyStore.inDataDirectory(data);
        assertThat(store.keys("example.test")).isEmpty();
        put(store, "Example.TEST", "s1", DkimAlgorithm.ED25519_SHA256, DkimTestData.text("keys/ed25519.pkcs8.pem"));
        put(store, "example.test", "s1", DkimAlgorithm.RSA_SHA256, DkimTestData.text("keys/rsa2048.key"));
        Files.writeString(data.resolve("dkim/example.test/README.txt"), "not a key");

        List<DkimKey> keys = store.keys("example.test");

        assertThat(keys).extracting(DkimKey::algorithm)
                .containsExactly(DkimAlgorithm.RSA_SHA256, DkimAlgorithm.ED25519_SHA256);
        assertThat(keys).extracting(DkimKey::recordName).containsOnly("s1._domainkey.example.test");
        assertThat(store.keys("EXAMPLE.test")).isSameAs(keys);
        assertThat(store.domains()).containsExactly("example.test");

        Files.delete(store.path("example.test", "s1", DkimAlgorithm.RSA_SHA256));
        assertThat(store.keys("example.test")).extracting(DkimKey::algorithm)
                .containsExactly(DkimAlgorithm.ED25519_SHA256);
    }

    @Test
    void namesThatAreNoHostNamesHaveNoPathAndNoKeys() throws Exception {
        DkimKeyStore store = DkimKeyStore.inDataDirectory(data);
        assertThatThrownBy(() -> store.path("../x", "s1", DkimAlgorithm.RSA_SHA256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty label");
        assertThatThrownBy(() -> store.path("/etc", "s1", DkimAlgorithm.RSA_SHA256))
                .hasMessageContaining("only letters, digits and '-'");
        assertThatThrownBy(() -> store.path("example.test", "../../x", DkimAlgorithm.RSA_SHA256))
                .hasMessageContaining("empty label");
        assertThatThrownBy(() -> store.path("[192.0.2.1]", "s1", DkimAlgorithm.RSA_SHA256))
                .hasMessageContaining("address literal");
        Files.createDirectories(data.resolve("x"));
        assertThat(store.keys("../x")).isEmpty();
        assertThat(store.files("..")).isEmpty();
        assertThat(store.path("Bücher.example", "s1", DkimAlgorithm.ED25519_SHA256))
                .isEqualTo(data.resolve("dkim/xn--bcher-kva.example/s1.ed25519.key"));
    }

    @Test
    void aBrokenKeyFileIsNamed() throws Exception {
        DkimKeyStore store = DkimKeyStore.inDataDirectory(data);
        put(store, "example.test", "bad", DkimAlgorithm.RSA_SHA256, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> store.keys("example.test")).hasMessageContaining("bad.rsa.key");
    }

    @Test
    void idnDomainsUseTheirALabel() {
        DkimKeyStore store = DkimKeyStore.inDataDirectory(data);
        assertThat(store.path("Bücher.example", "s", DkimAlgorithm.RSA_SHA256))
                .isEqualTo(data.resolve("dkim/xn--bcher-kva.example/s.rsa.key"));
    }
}
