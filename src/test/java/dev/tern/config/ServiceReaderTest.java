package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServiceReaderTest {

    private static ServiceSettings read(String toml) throws Exception {
        return ServiceReader.read(DeliveryReaderTest.top(toml), ServiceSettings.defaults());
    }

    @Test
    void defaultsGiveThirtySecondsEachAndTextLines() throws Exception {
        ServiceSettings s = read("");
        assertThat(s.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.deliveryGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.logFormat()).isEqualTo(ServiceSettings.LogFormat.TEXT);
    }

    @Test
    void bothTablesAreRead() throws Exception {
        ServiceSettings s = read("[shutdown]\ngrace = \"2m\"\ndelivery_grace = \"0s\"\n[log]\nformat = \"json\"\n");
        assertThat(s.shutdownGrace()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.deliveryGrace()).isZero();
        assertThat(s.logFormat()).isEqualTo(ServiceSettings.LogFormat.JSON);
    }

    @Test
    void badValuesAndUnknownKeysAreRefusedWithTheirKey() {
        assertThatThrownBy(() -> read("[shutdown]\ngrace = \"2h\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("shutdown.grace: must be between");
        assertThatThrownBy(() -> read("[log]\nformat = \"xml\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("log.format: must be one of \"text\", \"json\"");
        assertThatThrownBy(() -> read("[shutdown]\ngrace_period = \"1s\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("shutdown.grace_period");
    }
}
