package dev.tern.policy.screen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassCacheTest {

    @TempDir
    Path dir;

    /** A clock the test moves by hand. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aPassLastsItsTtlAndSurvivesARestart() throws Exception {
        MovingClock clock = new MovingClock();
        Path file = dir.resolve(PassCache.FILE);
        try (PassCache cache = PassCache.open(file, Duration.ofHours(1), 10, clock)) {
            cache.remember("192.0.2.1");
            assertThat(cache.contains("192.0.2.1")).isTrue();
            assertThat(cache.contains("192.0.2.2")).isFalse();
        }
        try (PassCache reopened = PassCache.open(file, Duration.ofHours(1), 10, clock)) {
            assertThat(reopened.contains("192.0.2.1")).isTrue();
            clock.now = clock.now.plus(Duration.ofMinutes(61));
            assertThat(reopened.contains("192.0.2.1")).isFalse();
        }
        try (PassCache expired = PassCache.open(file, Duration.ofHours(1), 10, clock)) {
            assertThat(expired.size()).isZero(); // dropped when the log was compacted
        }
        assertThat(Files.readString(file)).isEmpty();
    }

    @Test
    void theOldestPassGoesFirstAndTheLogStaysBounded() throws Exception {
        MovingClock clock = new MovingClock();
        Path file = dir.resolve(PassCache.FILE);
        try (PassCache cache = PassCache.open(file, Duration.ofDays(1), 3, clock)) {
            for (int i = 1; i <= 20; i++) {
                cache.remember("192.0.2." + i);
            }
            assertThat(cache.size()).isEqualTo(3);
            assertThat(cache.contains("192.0.2.17")).isFalse();
            assertThat(cache.contains("192.0.2.20")).isTrue();
            // compacted at twice the bound: never more than the bound plus twice the bound of lines
            assertThat(Files.readAllLines(file)).hasSizeLessThanOrEqualTo(9);
        }
        try (PassCache reopened = PassCache.open(file, Duration.ofDays(1), 3, clock)) {
            assertThat(reopened.size()).isEqualTo(3);
            assertThat(reopened.contains("192.0.2.18")).isTrue();
            assertThat(Files.readAllLines(file)).hasSize(3);
        }
    }

    @Test
    void aLineCutShortByACrashIsSkipped() throws Exception {
        MovingClock clock = new MovingClock();
        Path file = dir.resolve(PassCache.FILE);
        long later = clock.now.plus(Duration.ofHours(1)).getEpochSecond();
        Files.writeString(file, later + " 192.0.2.1\n" + "garbage\n" + later + " 2001:db8:0:0:0:0:0:1\n" + "17",
                StandardCharsets.US_ASCII);
        try (PassCache cache = PassCache.open(file, Duration.ofDays(1), 10, clock)) {
            assertThat(cache.size()).isEqualTo(2);
            assertThat(cache.contains("2001:db8:0:0:0:0:0:1")).isTrue();
        }
        assertThat(Files.readAllLines(file)).hasSize(2);
    }

    @Test
    void aZeroTtlRemembersNobodyAndWritesNothing() throws Exception {
        Path file = dir.resolve(PassCache.FILE);
        try (PassCache cache = PassCache.open(file, Duration.ZERO, 10, new MovingClock())) {
            cache.remember("192.0.2.1");
            assertThat(cache.contains("192.0.2.1")).isFalse();
        }
        assertThat(file).doesNotExist();
    }
}
