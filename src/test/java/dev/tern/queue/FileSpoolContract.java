package dev.tern.queue;

import dev.tern.mail.QueueId;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link SpoolContract} for a {@link FileSpool} in any of its layouts: the committed messages are read back
 * through the same spool as the queue runner reads them (a second FileSpool on the directory would clear the open
 * drafts, as a restart does). A layout's test gives only {@link #spool}.
 */
interface FileSpoolContract extends SpoolContract {

    @Override
    default List<Committed> committed(Spool spool) throws Exception {
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
