package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AuthReaderTest {

    private static AuthSettings read(String toml) throws Exception {
        ObjectNode root = toml.isEmpty() ? new TomlMapper().createObjectNode()
                : (ObjectNode) new TomlMapper().readTree(toml);
        Section top = new Section("tern.toml", "", root);
        return AuthReader.read(top, AuthSettings.defaults());
    }

    @Test
    void withoutATableEveryDefaultHolds() throws Exception {
        assertThat(read("")).isEqualTo(AuthSettings.defaults());
        assertThat(read("[auth]\n")).isEqualTo(AuthSettings.defaults());
        assertThat(AuthSettings.defaults()).isEqualTo(new AuthSettings(10, Duration.ofMinutes(15),
                Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofSeconds(15), false, Duration.ofMinutes(5),
                Runtime.getRuntime().availableProcessors(), Duration.ofSeconds(5), 600_000));
    }

    @Test
    void everyKeyIsRead() throws Exception {
        AuthSettings auth = read("""
                [auth]
                max_failures = 5
                failure_window = "1h"
                lockout = "30m"
                delay_base = "500ms"
                delay_max = "10s"
                allow_plaintext_on_loopback = true
                account_delay_max = "10m"
                max_parallel_checks = 3
                check_wait = "2s"
                scram_iterations = 10000
                """);
        assertThat(auth).isEqualTo(new AuthSettings(5, Duration.ofHours(1), Duration.ofMinutes(30),
                Duration.ofMillis(500), Duration.ofSeconds(10), true, Duration.ofMinutes(10), 3, Duration.ofSeconds(2), 10_000));
        assertThat(read("[auth]\ndelay_base = \"0s\"\ndelay_max = \"0s\"\n").delayMax()).isZero();
    }

    @Test
    void badValuesAreRefusedWithTheKey() {
        assertThatThrownBy(() -> read("[auth]\nmax_failures = 0\n"))
                .hasMessage("tern.toml: auth.max_failures: must be between 1 and 100000, got 0");
        assertThatThrownBy(() -> read("[auth]\nlockout = 900\n")).hasMessageContaining("auth.lockout: must be a duration");
        assertThatThrownBy(() -> read("[auth]\nallow_plaintext_on_loopback = \"yes\"\n"))
                .hasMessage("tern.toml: auth.allow_plaintext_on_loopback: must be true or false, got the string \"yes\"");
        assertThatThrownBy(() -> read("[auth]\ndelay_base = \"20s\"\ndelay_max = \"10s\"\n"))
                .hasMessage("tern.toml: auth.delay_max: must not be shorter than auth.delay_base (20s), got \"10s\"");
        assertThatThrownBy(() -> read("[auth]\nmax_parallel_checks = 0\n"))
                .hasMessage("tern.toml: auth.max_parallel_checks: must be between 1 and 1024, got 0");
        assertThatThrownBy(() -> read("[auth]\ncheck_wait = \"2m\"\n")).hasMessageContaining("auth.check_wait");
        assertThatThrownBy(() -> read("[auth]\ndelay_base = \"20s\"\naccount_delay_max = \"10s\"\ndelay_max = \"30s\"\n"))
                .hasMessage("tern.toml: auth.account_delay_max: must not be shorter than auth.delay_base (20s), got \"10s\"");
        assertThatThrownBy(() -> read("[auth]\nscram_iterations = 4095\n"))
                .hasMessage("tern.toml: auth.scram_iterations: must be between 4096 and 10000000, got 4095");
        assertThatThrownBy(() -> read("[auth]\nmax_failure = 3\n")).hasMessage("tern.toml: auth.max_failure: unknown key");
        assertThatThrownBy(() -> read("auth = 3\n")).hasMessageContaining("auth: must be a table");
    }
}
