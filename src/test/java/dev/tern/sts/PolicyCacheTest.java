package dev.tern.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.testlog.MailLogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policies on disk and the bounded map in front of them. */
class PolicyCacheTest {

    private static final String TEXT = "version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\nmax_age: 86400\r\n";
    private static final Instant FETCHED = Instant.parse("2026-01-10T08:00:00Z");

    @TempDir
    Path dir;

    private static PolicyCache.Cached cached(String id) throws Exception {
        return new PolicyCache.Cached(PolicyText.parse(TEXT, id), TEXT, FETCHED);
    }

    @Test
    void aPolicyOutlivesTheInstanceThatWroteIt() throws Exception {
        new PolicyCache(dir, 10).put("example.com", cached("abc"));

        PolicyCache.Cached read = new PolicyCache(dir, 10).get("example.com");

        assertThat(read).isEqualTo(cached("abc"));
        assertThat(read.expires()).isEqualTo(FETCHED.plus(Duration.ofDays(1)));
        assertThat(read.expiredAt(FETCHED.plus(Duration.ofDays(1)))).isTrue();
        assertThat(read.expiredAt(FETCHED.plus(Duration.ofHours(23)))).isFalse();
        assertThat(Files.readString(dir.resolve("example.com")))
                .isEqualTo("id: abc\nfetched-at: 2026-01-10T08:00:00Z\n\n" + TEXT);
    }

    @Test
    void removedIsGoneFromMemoryAndDisk() throws Exception {
        PolicyCache cache = new PolicyCache(dir, 10);
        cache.put("example.com", cached("abc"));

        cache.remove("example.com");

        assertThat(cache.get("example.com")).isNull();
        assertThat(dir.resolve("example.com")).doesNotExist();
        assertThat(new PolicyCache(dir, 10).get("example.com")).isNull();
    }

    @Test
    void memoryIsBoundedButTheDiskKeepsEveryPolicy() throws Exception {
        PolicyCache cache = new PolicyCache(dir, 2);
        for (String domain : List.of("a.example", "b.example", "c.example")) {
            cache.put(domain, cached("id" + domain.charAt(0)));
        }
        assertThat(cache.get("b.example").policy().id()).isEqualTo("idb");
        Files.delete(dir.resolve("a.example"));
        Files.delete(dir.resolve("c.example"));

        assertThat(cache.get("c.example")).as("still in memory").isNotNull();
        assertThat(cache.get("a.example")).as("the least recently used, gone from memory").isNull();
        assertThat(new PolicyCache(dir, 2).get("b.example").policy().id()).isEqualTo("idb");
    }

    @Test
    void aDamagedFileIsDeletedAndLogged() throws Exception {
        Files.writeString(dir.resolve("bad.example"), "id: abc\nfetched-at: yesterday\n\n" + TEXT);
        Files.writeString(dir.resolve("worse.example"), "id: abc\nfetched-at: 2026-01-10T08:00:00Z\n\nmode: x\n");
        Files.writeString(dir.resolve("odd.example"), "something else\n");
        PolicyCache cache = new PolicyCache(dir, 10);
        try (MailLogCapture log = new MailLogCapture()) {
            assertThat(cache.get("bad.example")).isNull();
            assertThat(cache.get("worse.example")).isNull();
            assertThat(cache.get("odd.example")).isNull();

            assertThat(log.lines()).hasSize(3).allMatch(l -> l.contains("result=cache-invalid"));
        }
        assertThat(dir.resolve("bad.example")).doesNotExist();
        assertThat(dir.resolve("worse.example")).doesNotExist();
    }
}
