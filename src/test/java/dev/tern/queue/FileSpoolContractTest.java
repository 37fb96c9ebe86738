package dev.tern.queue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The spool with a file per message passes the {@link SpoolContract}. */
class FileSpoolContractTest implements FileSpoolContract {

    @TempDir
    Path data;

    @Override
    public Spool spool() throws Exception {
        return new FileSpool(data);
    }
}
