package dev.tern.queue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The spool with its journal passes the {@link SpoolContract}: messages committed from memory into the journal. */
class JournalSpoolContractTest implements FileSpoolContract {

    @TempDir
    Path data;

    @Override
    public Spool spool() throws Exception {
        return FileSpool.journaled(data);
    }
}
