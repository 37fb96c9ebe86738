package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every directory of {@code src/test/resources/bad-configs/}: a {@code tern.toml} that must be refused at load,
 * and an {@code expected-error} holding the exact message, with the file's path written as {@code tern.toml}.
 * A new refusal case is a new directory; the message an operator reads is pinned word for word.
 */
class BadConfigsTest {

    private static final TernConfig DEFAULTS = TernConfig.defaults("mx.test", Path.of("data"));

    static List<Path> cases() throws IOException, URISyntaxException {
        Path root = Path.of(BadConfigsTest.class.getResource("/bad-configs").toURI());
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithItsExactMessage(Path dir) throws IOException {
        Path file = dir.resolve("tern.toml");
        Path expectedFile = dir.resolve("expected-error");
        assertThat(file).as("the configuration of " + dir.getFileName()).isRegularFile();
        assertThat(expectedFile).as("the expected error of " + dir.getFileName()).isRegularFile();
        String expected = Files.readString(expectedFile, StandardCharsets.UTF_8).stripTrailing();
        ConfigException refusal = null;
        try {
            ConfigLoader.load(file, DEFAULTS);
        } catch (ConfigException e) {
            refusal = e;
        }
        assertThat(refusal).as(dir.getFileName() + " must be refused").isNotNull();
        assertThat(refusal.file()).isEqualTo(file.toString());
        assertThat(refusal.getMessage()).startsWith(file + ": ");
        String message = "tern.toml" + refusal.getMessage().substring(file.toString().length());
        assertThat(message).as(dir.getFileName().toString()).isEqualTo(expected);
        if (refusal.key() != null) {
            assertThat(message).isEqualTo("tern.toml: " + refusal.key() + ": " + refusal.reason());
        }
    }

    @org.junit.jupiter.api.Test
    void thereIsACaseForEverySection() throws IOException, URISyntaxException {
        List<String> names = cases().stream().map(d -> d.getFileName().toString()).toList();
        assertThat(names).hasSizeGreaterThanOrEqualTo(25);
        for (String section : List.of("top", "listener", "limits", "queue", "tls", "relay", "submission", "auth",
                "rule", "delivery", "dns", "bounce", "dkim", "mailauth", "dmarc")) {
            assertThat(names).as("a bad-configs case for " + section).anyMatch(n -> n.startsWith(section + "-"));
        }
    }
}
