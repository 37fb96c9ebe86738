package dev.tern.admin.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaildirCounterTest {

    @TempDir
    Path root;

    @Test
    void countsOnlyNewFilesInNewDirectories() throws IOException {
        Path a = Files.createDirectories(root.resolve("localhost/a/new"));
        Files.createDirectories(root.resolve("localhost/a/tmp"));
        Files.writeString(a.resolve("before"), "x");
        MaildirCounter counter = MaildirCounter.startingNow(root);

        Files.writeString(a.resolve("after"), "x");
        Files.writeString(root.resolve("localhost/a/tmp/partial"), "x");
        Path b = Files.createDirectories(root.resolve("other/deep/b/new"));
        Files.writeString(b.resolve("one"), "x");
        Instant latest = Instant.parse("2030-01-01T00:00:00Z");
        Files.setLastModifiedTime(b.resolve("one"), FileTime.from(latest));

        MaildirCounter.Delivered d = counter.count();
        assertThat(d.files()).isEqualTo(2);
        assertThat(d.lastModified()).isEqualTo(latest);
    }

    @Test
    void aMissingRootCountsNothingUntilItAppears() throws Exception {
        Path later = root.resolve("later");
        MaildirCounter counter = MaildirCounter.startingNow(later);
        assertThat(counter.count().files()).isZero();
        assertThat(counter.count().lastModified()).isNull();

        Files.createDirectories(later.resolve("u/new"));
        Files.writeString(later.resolve("u/new/m"), "x");
        assertThat(counter.await(1, Duration.ofSeconds(5), Duration.ofMillis(10)).files()).isEqualTo(1);
    }
}
