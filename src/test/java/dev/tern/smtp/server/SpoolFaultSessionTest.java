package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.queue.FailingFileLayer;
import dev.tern.queue.FileSpool;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 1 with the real spool: a fault in its file layer (disk full while writing, a failing fsync, rename
 * or directory fsync) gives 451 4.3.0, never 250, leaves nothing deliverable, and the session goes on.
 */
class SpoolFaultSessionTest {

    @TempDir
    Path data;

    @ParameterizedTest
    @EnumSource(value = FailingFileLayer.Fault.class, names = {"WRITE", "FILE_SYNC", "RENAME", "DIRECTORY_SYNC"})
    void aFaultGives451AndTheNextMessageStillWorks(FailingFileLayer.Fault fault) throws Exception {
        FailingFileLayer files = new FailingFileLayer();
        files.fault = fault;
        files.failWriteAfter = 100;
        FileSpool spool = new FileSpool(data, files);
        SessionHarness harness = new SessionHarness();
        harness.target = spool;

        String message = "MAIL FROM:<a@remote.example>\r\nRCPT TO:<alice@localhost>\r\nDATA\r\n"
                + "Subject: fault\r\n\r\n" + "x".repeat(300) + "\r\n.\r\n";
        List<String> replies = harness.run("EHLO c.example\r\n" + message + "QUIT\r\n");

        assertThat(replies).contains("451 4.3.0 Requested action aborted: local error in processing");
        assertThat(replies).noneMatch(line -> line.startsWith("250 2.0.0 OK: queued"));
        assertThat(spool.committed()).isEmpty();
        assertThat(new FileSpool(data).committed()).as("nothing deliverable after a restart").isEmpty();

        files.fault = FailingFileLayer.Fault.NONE;
        List<String> after = harness.run("EHLO c.example\r\n" + message + "QUIT\r\n");
        assertThat(after).anyMatch(line -> line.startsWith("250 2.0.0 OK: queued as "));
        assertThat(spool.committed()).hasSize(1);
    }
}
