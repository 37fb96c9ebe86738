package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaneReaderTest {

    @TempDir
    Path dir;

    private static DaneSettings read(String toml) throws Exception {
        ObjectNode root = (ObjectNode) new TomlMapper().readTree(toml);
        Section top = new Section("tern.toml", "", root == null ? new TomlMapper().createObjectNode() : root);
        return DaneReader.read(top, DaneSettings.defaults());
    }

    private static DnsSettings servers(String... addresses) {
        return new DnsSettings(java.util.Arrays.stream(addresses).map(a -> new InetSocketAddress(a, 53)).toList(),
                Duration.ofSeconds(5), 2);
    }

    @Test
    void autoByDefaultAndTrueFalseOrAutoWhenGiven() throws Exception {
        assertThat(read("hostname = \"x\"\n").mode()).isEqualTo(DaneSettings.Mode.AUTO);
        assertThat(read("[dane]\n").mode()).isEqualTo(DaneSettings.Mode.AUTO);
        assertThat(read("[dane]\nenabled = true\n").mode()).isEqualTo(DaneSettings.Mode.ON);
        assertThat(read("[dane]\nenabled = false\n").mode()).isEqualTo(DaneSettings.Mode.OFF);
        assertThat(read("[dane]\nenabled = \"auto\"\n").mode()).isEqualTo(DaneSettings.Mode.AUTO);
    }

    @Test
    void badValuesAndUnknownKeysAreRefused() {
        assertThatThrownBy(() -> read("[dane]\nenabled = \"yes\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("dane.enabled").hasMessageContaining("must be true, false or \"auto\"");
        assertThatThrownBy(() -> read("[dane]\nenabled = 1\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("dane.enabled");
        assertThatThrownBy(() -> read("[dane]\nresolver = \"127.0.0.1\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("dane.resolver");
    }

    /** RFC 7672 §8.2: the AD bit is trusted only from a resolver on this host, unless the operator says so. */
    @Test
    void autoMeansEveryConfiguredServerOnLoopback() {
        DaneSettings auto = DaneSettings.defaults();
        assertThat(auto.activeWith(servers("127.0.0.1"))).isTrue();
        assertThat(auto.activeWith(servers("127.0.0.1", "::1"))).isTrue();
        assertThat(auto.activeWith(servers("127.0.0.1", "192.0.2.53"))).isFalse();
        assertThat(auto.activeWith(DnsSettings.defaults())).isFalse(); // the system's resolvers
        assertThat(auto.reason(DnsSettings.defaults())).contains("system resolvers are not trusted");
        assertThat(new DaneSettings(DaneSettings.Mode.ON).activeWith(servers("192.0.2.53"))).isTrue();
        assertThat(new DaneSettings(DaneSettings.Mode.OFF).activeWith(servers("127.0.0.1"))).isFalse();
    }

    @Test
    void theDocumentedExampleLoads() throws Exception {
        Matcher m = Pattern.compile("```toml\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(Path.of("docs", "config-dane.md")));
        assertThat(m.find()).isTrue();
        Path file = dir.resolve("tern.toml");
        Files.writeString(file, m.group(1));
        TernConfig config = ConfigLoader.load(file, TernConfig.defaults("localhost", dir));
        assertThat(config.dane().mode()).isEqualTo(DaneSettings.Mode.AUTO);
        assertThat(config.dane().activeWith(config.dns())).isTrue();
        assertThat(config.withDane(new DaneSettings(DaneSettings.Mode.OFF)).dane().mode())
                .isEqualTo(DaneSettings.Mode.OFF);
        assertThat(List.of(config.dns().servers().getFirst().getPort())).containsExactly(53);
    }
}
