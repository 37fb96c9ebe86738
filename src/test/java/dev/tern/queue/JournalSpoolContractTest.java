package dev.tern.queue;

import dev.tern.mail.QueueId;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool with its journal passes the {@link SpoolContract} as the file spool does ({@link FileSpoolContractTest}):
 * messages committed from memory into the journal, read back through the same spool.
 */
class JournalSpoolContractTest implements SpoolContract {

    @TempDir
    Path data;

    @Override
    public Spool spool() throws Exception {
        return FileSpool.journaled(data);
    }

    @Override
    public List<Committed> committed(Spool spool) throws Exception {
        FileSpool reopened = (FileSpool) spool;
        List<Committed> out = new ArrayList<>();
        for (QueueId id : reopened.committed()) {
            StoredMessage stored = reopened.load(id);
            String text;
            try (InputStream in = stored.content().open()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            out.add(new Committed(id, stored.envelope(), text, reopened.hold(id).map(Hold::reason).orElse(null),
                    FileDraft.JUNK.equals(stored.folder())));
        }
        return out;
    }
}
