package dev.tern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.mail.QueueId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Invariant 1 under faults: a failed commit throws, and nothing deliverable or temporary remains. */
class FileSpoolFaultTest {

    @TempDir
    Path data;

    @ParameterizedTest
    @EnumSource(value = FailingFileLayer.Fault.class, names = {"WRITE", "FILE_SYNC", "RENAME", "DIRECTORY_SYNC"})
    void failedCommitThrowsAndLeavesNothing(FailingFileLayer.Fault fault) throws IOException {
        FailingFileLayer files = new FailingFileLayer();
        FileSpool spool = new FileSpool(data, files);
        List<QueueId> handedOff = new ArrayList<>();
        spool.handOffTo(handedOff::add);
        files.fault = fault;

        assertThatThrownBy(() -> {
            try (Spool.Draft draft = spool.create()) {
                draft.content().write(FileSpoolTest.randomBytes(300_000, 7));
                draft.commit(Envelopes.of(Instant.now(), "alice@example.org", "bob@example.com"));
            }
        }).isInstanceOf(IOException.class);

        assertThat(handedOff).isEmpty();
        assertThat(spool.committed()).isEmpty();
        assertThat(filesIn(data.resolve("spool"))).isEmpty();
        files.fault = FailingFileLayer.Fault.NONE;
        assertThat(new FileSpool(data, files).committed()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = FailingFileLayer.Fault.class, names = {"WRITE", "FILE_SYNC", "RENAME", "DIRECTORY_SYNC"})
    void failedHeldCommitLeavesNoHoldFileEither(FailingFileLayer.Fault fault) throws IOException {
        FailingFileLayer files = new FailingFileLayer();
        FileSpool spool = new FileSpool(data, files);
        files.fault = fault;
        assertThatThrownBy(() -> {
            try (Spool.Draft draft = spool.create()) {
                draft.content().write(FileSpoolTest.randomBytes(300_000, 7));
                draft.hold("rule");
                draft.commit(Envelopes.of(Instant.now(), "alice@example.org", "bob@example.com"));
            }
        }).isInstanceOf(IOException.class);
        assertThat(filesIn(data.resolve("spool"))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = FailingFileLayer.Fault.class, names = {"WRITE", "FILE_SYNC"})
    void spoolKeepsWorkingAfterAFault(FailingFileLayer.Fault fault) throws IOException {
        FailingFileLayer files = new FailingFileLayer();
        FileSpool spool = new FileSpool(data, files);
        files.fault = fault;
        files.failWriteAfter = 10;
        assertThatThrownBy(() -> FileSpoolTest.commit(spool, "a message longer than ten bytes\r\n".getBytes()))
                .isInstanceOf(IOException.class);
        files.fault = FailingFileLayer.Fault.NONE;
        QueueId id = FileSpoolTest.commit(spool, "ok\r\n".getBytes());
        assertThat(spool.committed()).containsExactly(id);
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
