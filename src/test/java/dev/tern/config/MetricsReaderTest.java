package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import org.junit.jupiter.api.Test;

class MetricsReaderTest {

    private static MetricsSettings read(String toml) throws Exception {
        ObjectNode root = (ObjectNode) new TomlMapper().readTree(toml);
        Section top = new Section("tern.toml", "", root == null ? new TomlMapper().createObjectNode() : root);
        return MetricsReader.read(top, MetricsSettings.defaults());
    }

    @Test
    void offByDefault() throws Exception {
        MetricsSettings d = read("hostname = \"x\"\n");
        assertThat(d).isEqualTo(MetricsSettings.defaults());
        assertThat(d.enabled()).isFalse();
        assertThat(d.minFreeDisk()).isEqualTo(100L << 20);
        assertThat(d.maxDestinations()).isEqualTo(50);
        assertThat(read("[metrics]\nmin_free_disk = \"1GiB\"\n").enabled()).isFalse();
    }

    @Test
    void listenOnIpv4OrIpv6() throws Exception {
        MetricsSettings s = read("[metrics]\nlisten = \"127.0.0.1:9464\"\nmin_free_disk = \"1GiB\"\n"
                + "max_destinations = 0\n");
        assertThat(s.enabled()).isTrue();
        assertThat(s.address()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(9464);
        assertThat(s.minFreeDisk()).isEqualTo(1L << 30);
        assertThat(s.maxDestinations()).isZero();
        MetricsSettings v6 = read("[metrics]\nlisten = \"[::1]:9464\"\n");
        assertThat(v6.address()).isEqualTo("::1");
        assertThat(v6.port()).isEqualTo(9464);
    }

    @Test
    void badValuesAndUnknownKeysAreRefused() {
        for (String listen : new String[] {"9464", "localhost:9464", "::1:9464", "127.0.0.1:", "127.0.0.1:99999",
            "[::1]", "127.0.0.1:http"}) {
            assertThatThrownBy(() -> read("[metrics]\nlisten = \"" + listen + "\"\n")).as(listen)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("metrics.listen")
                    .hasMessageContaining("\"ip:port\"");
        }
        assertThatThrownBy(() -> read("[metrics]\nlisten = 9464\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be a string");
        assertThatThrownBy(() -> read("[metrics]\nmax_destinations = 10001\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("metrics.max_destinations");
        assertThatThrownBy(() -> read("[metrics]\nport = 9464\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("metrics.port").hasMessageContaining("unknown key");
    }
}
