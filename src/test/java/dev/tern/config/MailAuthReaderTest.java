package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.tern.config.MailAuthSettings.DmarcQuarantine;
import dev.tern.config.MailAuthSettings.DmarcReject;
import dev.tern.config.MailAuthSettings.SpfFail;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MailAuthReaderTest {

    private static MailAuthSettings read(String toml) throws Exception {
        ObjectNode root = (ObjectNode) new TomlMapper().readTree(toml);
        Section top = new Section("tern.toml", "", root);
        MailAuthSettings settings = MailAuthReader.read(top, MailAuthSettings.defaults());
        top.refuseUnknown();
        return settings;
    }

    @Test
    void withoutTheTablesEveryDefaultHolds() throws Exception {
        MailAuthSettings settings = read("");

        assertThat(settings).isEqualTo(MailAuthSettings.defaults());
        assertThat(settings.authservId("mx.example.com")).isEqualTo("mx.example.com");
        assertThat(settings.spfFail()).isEqualTo(SpfFail.TAG);
        assertThat(settings.dmarcReject()).isEqualTo(DmarcReject.HONOUR);
        assertThat(settings.dmarcQuarantine()).isEqualTo(DmarcQuarantine.JUNK);
        assertThat(settings.publicSuffixList()).isNull();
    }

    @Test
    void everyKeyIsRead() throws Exception {
        MailAuthSettings settings = read("""
                [mailauth]
                authserv_id = "auth.example.com"
                spf_fail = "reject"
                dmarc_reject = "quarantine"
                dmarc_quarantine = "tag"
                [dmarc]
                public_suffix_list = "/usr/share/publicsuffix/public_suffix_list.dat"
                """);

        assertThat(settings).isEqualTo(new MailAuthSettings("auth.example.com", SpfFail.REJECT,
                DmarcReject.QUARANTINE, DmarcQuarantine.TAG, Path.of("/usr/share/publicsuffix/public_suffix_list.dat")));
        assertThat(settings.authservId("mx.example.com")).isEqualTo("auth.example.com");
    }

    @Test
    void badValuesAndUnknownKeysAreRefusedWithTheirKey() {
        assertThatThrownBy(() -> read("[mailauth]\ndmarc_reject = \"bounce\"\n"))
                .hasMessage("tern.toml: mailauth.dmarc_reject: must be one of \"honour\", \"quarantine\", "
                        + "\"tag\", got \"bounce\"");
        assertThatThrownBy(() -> read("[mailauth]\nauthserv_id = \"two words\"\n"))
                .hasMessageStartingWith("tern.toml: mailauth.authserv_id: must be a host name");
        assertThatThrownBy(() -> read("[mailauth]\nspf_fial = \"reject\"\n"))
                .hasMessage("tern.toml: mailauth.spf_fial: unknown key");
        assertThatThrownBy(() -> read("[dmarc]\npublic_suffix_list = \"psl.dat\"\n"))
                .hasMessageStartingWith("tern.toml: dmarc.public_suffix_list: must be an absolute file path");
        assertThatThrownBy(() -> read("[dmarc]\npolicy = \"reject\"\n"))
                .hasMessage("tern.toml: dmarc.policy: unknown key");
        assertThatThrownBy(() -> read("dmarc = 3\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be a table");
    }

    @Test
    void theOlderTableNameIsStillReadButNotBesideTheNewOne() throws Exception {
        assertThat(read("[authentication]\nspf_fail = \"reject\"\n").spfFail()).isEqualTo(SpfFail.REJECT);
        assertThatThrownBy(() -> read("[authentication]\nspf_fial = \"reject\"\n"))
                .hasMessage("tern.toml: authentication.spf_fial: unknown key");
        assertThatThrownBy(() -> read("[authentication]\nspf_fail = \"tag\"\n[mailauth]\nspf_fail = \"reject\"\n"))
                .hasMessage("tern.toml: authentication: is the older name of [mailauth]; give only [mailauth]");
    }
}
