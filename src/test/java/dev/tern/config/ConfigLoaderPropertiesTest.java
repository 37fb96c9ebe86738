package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the file holds, the loader answers with a config or a ConfigException, never anything else. */
class ConfigLoaderPropertiesTest {

    private static final TernConfig DEFAULTS = TernConfig.defaults("mx.test", Path.of("data"));

    @Provide
    Arbitrary<String> tomlish() {
        Arbitrary<String> fragment = Arbitraries.of(
                "[limits]\n", "[queue]\n", "[[listener]]\n", "max_recipients = ", "port = ", "command_timeout = ",
                "max_message_size = ", "role = ", "address = ", "hostname = ", "domains = ", "data_dir = ",
                "\"5m\"", "\"50MiB\"", "0", "-1", "99999999999999999999", "1.5", "true", "[", "]", "\"", "\n",
                "\"mx\"", "\"::1\"", "[\"example.com\"]", "{}", "1979-05-27T07:32:00Z", "=", "#", "\\u0000");
        return Arbitraries.oneOf(fragment, Arbitraries.strings().ofMaxLength(5))
                .list().ofMaxSize(12).map(parts -> String.join("", parts));
    }

    @Property(tries = 300)
    void loadReturnsAConfigOrAConfigException(@ForAll("tomlish") String text) throws IOException {
        Path file = Files.createTempFile("tern", ".toml");
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            try {
                TernConfig config = ConfigLoader.load(file, DEFAULTS);
                assertThat(config.limits().maxRecipients()).isBetween(1, 100_000);
                assertThat(config.listeners()).isNotEmpty();
            } catch (ConfigException e) {
                assertThat(e.getMessage()).startsWith(file + ": ").doesNotContain("\n");
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
