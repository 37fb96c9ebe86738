package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {

    @Test
    void durationsTakeOneUnit() {
        assertThat(ConfigValues.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ConfigValues.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ConfigValues.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ConfigValues.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(ConfigValues.parseDuration("5d")).isEqualTo(Duration.ofDays(5));
    }

    @Test
    void durationsWithoutUnitOrWithJunkAreRefused() {
        for (String bad : new String[] {"300", "5 m", "5min", "-5m", "1.5h", "", "m", "5M"}) {
            assertThatThrownBy(() -> ConfigValues.parseDuration(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a duration");
        }
    }

    @Test
    void sizesTakeBinaryAndDecimalUnits() {
        assertThat(ConfigValues.parseSize("1048576")).isEqualTo(1_048_576L);
        assertThat(ConfigValues.parseSize("64KiB")).isEqualTo(65_536L);
        assertThat(ConfigValues.parseSize("50MiB")).isEqualTo(50L << 20);
        assertThat(ConfigValues.parseSize("50mib")).isEqualTo(50L << 20);
        assertThat(ConfigValues.parseSize("2GiB")).isEqualTo(2L << 30);
        assertThat(ConfigValues.parseSize("10MB")).isEqualTo(10_000_000L);
        assertThat(ConfigValues.parseSize("1 KB")).isEqualTo(1000L);
        assertThat(ConfigValues.parseSize("7B")).isEqualTo(7L);
    }

    @Test
    void badSizesAreRefused() {
        for (String bad : new String[] {"", "MiB", "-1", "1.5MiB", "5 parsecs", "5Mi"}) {
            assertThatThrownBy(() -> ConfigValues.parseSize(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a size");
        }
        assertThatThrownBy(() -> ConfigValues.parseSize("999999999999TiB")).hasMessageContaining("too large");
        assertThatThrownBy(() -> ConfigValues.parseDuration("999999999999999d")).hasMessageContaining("too large");
    }

    @Property
    void formattedDurationsParseBack(@ForAll @LongRange(min = 0, max = 100_000_000_000L) long millis) {
        Duration d = Duration.ofMillis(millis);
        assertThat(ConfigValues.parseDuration(ConfigValues.formatDuration(d))).isEqualTo(d);
    }

    @Property
    void formattedSizesParseBack(@ForAll @LongRange(min = 0, max = 1L << 50) long size) {
        assertThat(ConfigValues.parseSize(ConfigValues.formatSize(size))).isEqualTo(size);
    }

    @Property
    void parseSizeNeverThrowsAnythingButIllegalArgument(@ForAll String text) {
        try {
            assertThat(ConfigValues.parseSize(text)).isNotNegative();
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property
    void parseDurationNeverThrowsAnythingButIllegalArgument(@ForAll String text) {
        try {
            assertThat(ConfigValues.parseDuration(text).isNegative()).isFalse();
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
