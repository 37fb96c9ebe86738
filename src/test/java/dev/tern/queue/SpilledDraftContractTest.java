package dev.tern.queue;

import dev.tern.io.RealFileLayer;
import dev.tern.mail.QueueId;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's drafts pass the {@link SpoolContract} also when they spill to a file after the first octets: a
 * per-message memory limit of 8 octets makes every draft written in more than one piece a file draft mid-way,
 * with whatever was decided before (extras, hold) handed over.
 */
class SpilledDraftContractTest implements SpoolContract {

    @TempDir
    Path data;

    @Override
    public Spool spool() throws Exception {
        return FileSpool.journaled(data, RealFileLayer.INSTANCE, new DraftMemory(8, 1 << 20), 1 << 20);
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
