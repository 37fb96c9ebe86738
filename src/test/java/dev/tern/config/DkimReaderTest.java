package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DkimReaderTest {

    private static DkimSettings read(String toml) throws Exception {
        ObjectNode root = (ObjectNode) new TomlMapper().readTree(toml);
        Section top = new Section("tern.toml", "", root);
        return DkimReader.read(top, DkimSettings.defaults());
    }

    @Test
    void absentTableGivesTheDefaults() throws Exception {
        DkimSettings d = read("");
        assertThat(d).isEqualTo(DkimSettings.defaults());
        assertThat(d.sign()).isTrue();
        assertThat(d.headerCanonicalization()).isEqualTo(DkimSettings.Canonicalization.RELAXED);
        assertThat(d.signatureLifetime()).isZero();
    }

    @Test
    void readsEveryKey() throws Exception {
        DkimSettings s = read("""
                [dkim]
                sign = false
                verify = false
                header_canonicalization = "simple"
                body_canonicalization = "simple"
                signature_lifetime = "7d"
                max_signatures = 3
                crypto = "jdk"
                """);
        assertThat(s).isEqualTo(new DkimSettings(false, false, DkimSettings.Canonicalization.SIMPLE,
                DkimSettings.Canonicalization.SIMPLE, Duration.ofDays(7), 3, DkimSettings.Crypto.JDK));
    }

    @Test
    void refusesBadValuesAndUnknownKeys() {
        assertThatThrownBy(() -> read("[dkim]\nsign = \"yes\"")).hasMessageContaining("dkim.sign")
                .hasMessageContaining("true or false");
        assertThatThrownBy(() -> read("[dkim]\nbody_canonicalization = \"loose\"")).hasMessageContaining("\"relaxed\"");
        assertThatThrownBy(() -> read("[dkim]\nsignature_lifetime = \"5m\"")).hasMessageContaining("at least \"1h\"");
        assertThatThrownBy(() -> read("[dkim]\nmax_signatures = 0")).hasMessageContaining("dkim.max_signatures");
        assertThatThrownBy(() -> read("[dkim]\ncrypto = \"openssl\"")).hasMessageContaining("dkim.crypto")
                .hasMessageContaining("\"auto\", \"jdk\"");
        assertThatThrownBy(() -> read("[dkim]\nselector = \"x\"")).hasMessageContaining("dkim.selector")
                .hasMessageContaining("unknown key");
    }
}
