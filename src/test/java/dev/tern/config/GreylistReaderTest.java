package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GreylistReaderTest {

    private static GreylistSettings read(String toml) throws Exception {
        ObjectNode root = (ObjectNode) new TomlMapper().readTree(toml);
        Section top = new Section("tern.toml", "", root == null ? new TomlMapper().createObjectNode() : root);
        return GreylistReader.read(top, GreylistSettings.defaults());
    }

    @Test
    void offByDefaultWithPostgreysValues() throws Exception {
        GreylistSettings d = read("hostname = \"x\"\n");
        assertThat(d.enabled()).isFalse();
        assertThat(d.delay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.retryWindow()).isEqualTo(Duration.ofDays(2));
        assertThat(d.maxAge()).isEqualTo(Duration.ofDays(35));
        assertThat(d.autoAllowClients()).isEqualTo(5);
        assertThat(d.ipv4Prefix()).isEqualTo(24);
    }

    @Test
    void keysAreRead() throws Exception {
        GreylistSettings s = read("[greylist]\nenabled = true\ndelay = \"1m\"\nretry_window = \"1d\"\nmax_age = \"10d\"\n"
                + "auto_allow_clients = 0\nmax_entries = 1000\nskip_spf_pass_domains = [\"Example.COM\"]\n"
                + "ipv4_prefix = 32\nipv6_prefix = 56\n");
        assertThat(s).isEqualTo(new GreylistSettings(true, Duration.ofMinutes(1), Duration.ofDays(1),
                Duration.ofDays(10), 0, 1000, List.of("example.com"), 32, 56));
    }

    @Test
    void badValuesAreRefusedWithTheirKey() {
        assertThatThrownBy(() -> read("[greylist]\ndelay = \"2d\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("greylist.delay");
        assertThatThrownBy(() -> read("[greylist]\ndelay = \"3h\"\nretry_window = \"2h\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("greylist.retry_window")
                .hasMessageContaining("must be longer than greylist.delay");
        assertThatThrownBy(() -> read("[greylist]\nskip_spf_pass_domains = [\"not a domain\"]\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("greylist.skip_spf_pass_domains");
        assertThatThrownBy(() -> read("[greylist]\nauto_whitelist_clients = 5\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key");
    }
}
