package dev.tern.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadinessTest {

    @TempDir
    Path dir;

    private final Map<String, Boolean> listeners = new LinkedHashMap<>(Map.of("mx", true));

    @Test
    void readyWithListenersUpASpoolToWriteAndRoom() throws Exception {
        Path spool = Files.createDirectory(dir.resolve("spool"));
        assertThat(new Readiness(() -> listeners, spool, 0).problem()).isNull();
    }

    @Test
    void aListenerDownIsNamed() throws Exception {
        Path spool = Files.createDirectory(dir.resolve("spool"));
        listeners.put("submission", false);
        assertThat(new Readiness(() -> listeners, spool, 0).problem()).isEqualTo("listener submission is not accepting");
    }

    @Test
    void aReadOnlyOrMissingSpool() throws Exception {
        Path spool = Files.createDirectory(dir.resolve("spool"));
        Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("r-x------"));
        assertThat(new Readiness(() -> listeners, spool, 0).problem()).isEqualTo("spool spool is not writable");
        assertThat(new Readiness(() -> listeners, dir.resolve("none"), 0).problem())
                .isEqualTo("spool none is not writable");
    }

    @Test
    void freeDiskBelowTheFloor() throws Exception {
        Path spool = Files.createDirectory(dir.resolve("spool"));
        long free = Files.getFileStore(spool).getUsableSpace();
        listeners.put("submission", false);
        assertThat(new Readiness(() -> listeners, spool, free * 4 + (1L << 40)).problem())
                .startsWith("listener submission is not accepting; free disk ")
                .endsWith(" bytes is below min_free_disk " + (free * 4 + (1L << 40)));
    }
}
