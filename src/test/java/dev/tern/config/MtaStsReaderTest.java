package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MtaStsReaderTest {

    private static MtaStsSettings read(String toml) throws Exception {
        ObjectNode root = (ObjectNode) new TomlMapper().readTree(toml);
        Section top = new Section("tern.toml", "", root == null ? new TomlMapper().createObjectNode() : root);
        return MtaStsReader.read(top, MtaStsSettings.defaults());
    }

    @Test
    void onForSendingTestingForOurPolicyAndNoListenerByDefault() throws Exception {
        MtaStsSettings d = read("hostname = \"x\"\n");
        assertThat(d).isEqualTo(MtaStsSettings.defaults());
        assertThat(d.enabled()).isTrue();
        assertThat(d.mode()).isEqualTo(MtaStsSettings.Mode.TESTING);
        assertThat(d.mxOr("mx.example.com")).containsExactly("mx.example.com");
        assertThat(d.maxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(d.maxPolicySize()).isEqualTo(65536);
        assertThat(d.listening()).isFalse();
    }

    @Test
    void everyKey() throws Exception {
        MtaStsSettings s = read("""
                [mta_sts]
                enabled = false
                fetch_timeout = "5s"
                max_policy_size = "16KiB"
                cache_entries = 100
                fetch_retry = "0s"
                mode = "enforce"
                mx = ["MX1.example.com", "*.mx.example.net"]
                max_age = "8766h"
                listen = "[::1]:8443"
                """);
        assertThat(s.enabled()).isFalse();
        assertThat(s.fetchTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.maxPolicySize()).isEqualTo(16 * 1024);
        assertThat(s.cacheEntries()).isEqualTo(100);
        assertThat(s.fetchRetry()).isZero();
        assertThat(s.mode()).isEqualTo(MtaStsSettings.Mode.ENFORCE);
        assertThat(s.mxOr("ignored.example")).isEqualTo(List.of("mx1.example.com", "*.mx.example.net"));
        assertThat(s.maxAge()).isEqualTo(Duration.ofSeconds(31_557_600));
        assertThat(s.listenAddress()).isEqualTo("::1");
        assertThat(s.listenPort()).isEqualTo(8443);
    }

    @Test
    void badValuesAndUnknownKeysAreRefused() {
        assertThatThrownBy(() -> read("[mta_sts]\nmode = \"reject\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("mta_sts.mode").hasMessageContaining("\"enforce\", \"testing\", \"none\"");
        assertThatThrownBy(() -> read("[mta_sts]\nmx = [\"mx example.com\"]\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("mta_sts.mx");
        assertThatThrownBy(() -> read("[mta_sts]\nmx = [\"a.example\", \"A.example\"]\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> read("[mta_sts]\nmax_policy_size = \"2MiB\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("mta_sts.max_policy_size");
        assertThatThrownBy(() -> read("[mta_sts]\nfetch_timeout = \"0s\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("mta_sts.fetch_timeout");
        assertThatThrownBy(() -> read("[mta_sts]\nlisten = \"localhost:443\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("mta_sts.listen");
        assertThatThrownBy(() -> read("[mta_sts]\nid = \"x\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("mta_sts.id").hasMessageContaining("unknown key");
    }
}
