package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.tern.config.AuthenticationSettings.DmarcQuarantine;
import dev.tern.config.AuthenticationSettings.DmarcReject;
import dev.tern.config.AuthenticationSettings.SpfFail;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AuthenticationReaderTest {

    private static AuthenticationSettings read(String toml) throws Exception {
        ObjectNode root = (ObjectNode) new TomlMapper().readTree(toml);
        Section top = new Section("tern.toml", "", root);
        AuthenticationSettings settings = AuthenticationReader.read(top, AuthenticationSettings.defaults());
        top.refuseUnknown();
        return settings;
    }

    @Test
    void withoutTheTablesEveryDefaultHolds() throws Exception {
        AuthenticationSettings settings = read("");

        assertThat(settings).isEqualTo(AuthenticationSettings.defaults());
        assertThat(settings.authservId("mx.example.com")).isEqualTo("mx.example.com");
        assertThat(settings.spfFail()).isEqualTo(SpfFail.TAG);
        assertThat(settings.dmarcReject()).isEqualTo(DmarcReject.HONOUR);
        assertThat(settings.dmarcQuarantine()).isEqualTo(DmarcQuarantine.JUNK);
        assertThat(settings.publicSuffixList()).isNull();
    }

    @Test
    void everyKeyIsRead() throws Exception {
        AuthenticationSettings settings = read("""
                [authentication]
                authserv_id = "auth.example.com"
                spf_fail = "reject"
                dmarc_reject = "quarantine"
                dmarc_quarantine = "tag"
                [dmarc]
                public_suffix_list = "/usr/share/publicsuffix/public_suffix_list.dat"
                """);

        assertThat(settings).isEqualTo(new AuthenticationSettings("auth.example.com", SpfFail.REJECT,
                DmarcReject.QUARANTINE, DmarcQuarantine.TAG, Path.of("/usr/share/publicsuffix/public_suffix_list.dat")));
        assertThat(settings.authservId("mx.example.com")).isEqualTo("auth.example.com");
    }

    @Test
    void badValuesAndUnknownKeysAreRefusedWithTheirKey() {
        assertThatThrownBy(() -> read("[authentication]\ndmarc_reject = \"bounce\"\n"))
                .hasMessage("tern.toml: authentication.dmarc_reject: must be one of \"honour\", \"quarantine\", "
                        + "\"tag\", got \"bounce\"");
        assertThatThrownBy(() -> read("[authentication]\nauthserv_id = \"two words\"\n"))
                .hasMessageStartingWith("tern.toml: authentication.authserv_id: must be a host name");
        assertThatThrownBy(() -> read("[authentication]\nspf_fial = \"reject\"\n"))
                .hasMessage("tern.toml: authentication.spf_fial: unknown key");
        assertThatThrownBy(() -> read("[dmarc]\npublic_suffix_list = \"psl.dat\"\n"))
                .hasMessageStartingWith("tern.toml: dmarc.public_suffix_list: must be an absolute file path");
        assertThatThrownBy(() -> read("[dmarc]\npolicy = \"reject\"\n"))
                .hasMessage("tern.toml: dmarc.policy: unknown key");
        assertThatThrownBy(() -> read("dmarc = 3\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be a table");
    }
}
