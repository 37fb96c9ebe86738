package dev.tern.queue;

import static dev.tern.io.ModeRecordingFileLayer.mode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.tern.io.ModeRecordingFileLayer;
import dev.tern.io.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mail in the spool is for Tern's user alone: 0700 directories, 0600 files, from the moment they exist. */
class FileSpoolPermissionsTest {

    @TempDir
    Path parent;

    @Test
    void theSpoolAndEveryFileInItAreOwnerOnlyFromTheirCreation() throws IOException {
        assumeThat(PrivateFiles.posix(parent)).isTrue();
        Path data = parent.resolve("data");
        ModeRecordingFileLayer files = new ModeRecordingFileLayer();
        FileSpool spool = new FileSpool(data, files);
        try (Spool.Draft draft = spool.create()) {
            draft.content().write("Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
            draft.commit(Envelopes.of(Instant.parse("2025-03-01T10:00:00Z"), "alice@example.org", "bob@example.com"));
        }
        try (SpoolLock lock = SpoolLock.tryAcquire(data).orElseThrow()) {
            assertThat(mode(data.resolve("queue.lock"))).isEqualTo("rw-------");
        }

        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(data.resolve("spool"))).isEqualTo("rwx------");
        assertThat(files.modesAtCreation).isNotEmpty();
        assertThat(files.modesAtCreation.values()).containsOnly("rw-------");
        try (Stream<Path> stored = Files.list(data.resolve("spool"))) {
            for (Path file : stored.toList()) {
                assertThat(mode(file)).as(file.getFileName().toString()).isEqualTo("rw-------");
            }
        }
    }
}
