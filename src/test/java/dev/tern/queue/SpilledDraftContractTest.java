package dev.tern.queue;

import dev.tern.io.RealFileLayer;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's drafts pass the {@link SpoolContract} also when they spill to a file after the first octets: a
 * per-message memory limit of 8 octets makes every draft written in more than one piece a file draft mid-way,
 * with whatever was decided before (extras, hold) handed over.
 */
class SpilledDraftContractTest implements FileSpoolContract {

    @TempDir
    Path data;

    @Override
    public Spool spool() throws Exception {
        return FileSpool.journaled(data, RealFileLayer.INSTANCE, new DraftMemory(8, 1 << 20), 1 << 20);
    }
}
