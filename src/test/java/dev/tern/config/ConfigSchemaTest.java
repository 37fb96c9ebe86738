package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schema is what the readers ask for: a key read from a file must be described, with its default. */
class ConfigSchemaTest {

    private static final List<ConfigSchema.Key> KEYS =
            ConfigSchema.collect(TernConfig.defaults("localhost", Path.of("data")));

    private static ConfigSchema.Key key(String path) {
        return KEYS.stream().filter(k -> k.path().equals(path)).findFirst().orElseThrow(() -> new AssertionError(path));
    }

    @Test
    void describesEachKindWithItsDefaultAndRange() {
        assertThat(key("limits.max_message_size")).isEqualTo(new ConfigSchema.Key("limits", "max_message_size",
                ConfigSchema.Kind.SIZE, "\"50MiB\"", "64KiB to " + Integer.MAX_VALUE));
        assertThat(key("limits.max_recipients").range()).isEqualTo("1 to 100000");
        assertThat(key("limits.command_timeout").value()).isEqualTo("\"5m\"");
        assertThat(key("limits.bare_line_endings").range()).isEqualTo("\"reject\" or \"normalize\"");
        assertThat(key("hostname").value()).isEqualTo("\"localhost\"");
        // Read with a null fallback and defaulted after validation: the schema says it has no literal default.
        assertThat(key("domains").value()).isNull();
    }

    @Test
    void aTableWithARequiredKeyIsDescribedUpToIt() {
        assertThat(key("delivery.relayhost.host").value()).isNull();
    }

    @Test
    void theDefaultsPrintAsTomlThatLoadsBackToTheDefaults(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        String toml = ConfigSchema.toToml(KEYS);
        Path file = dir.resolve("tern.toml");
        java.nio.file.Files.writeString(file, toml);
        TernConfig defaults = TernConfig.defaults("localhost", dir.resolve("data"));
        TernConfig loaded = ConfigLoader.load(file, defaults);
        assertThat(loaded.limits()).isEqualTo(defaults.limits());
        assertThat(loaded.queue()).isEqualTo(defaults.queue());
        assertThat(loaded.dns()).isEqualTo(defaults.dns());
        assertThat(loaded.auth()).isEqualTo(defaults.auth());
        assertThat(loaded.bounce()).isEqualTo(defaults.bounce());
        assertThat(loaded.dkim()).isEqualTo(defaults.dkim());
    }
}
