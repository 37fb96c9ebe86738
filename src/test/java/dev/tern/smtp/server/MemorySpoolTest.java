package dev.tern.smtp.server;

import dev.tern.queue.Spool;
import dev.tern.queue.SpoolContract;
import java.util.List;

/** The session tests' fake spool passes the same {@link SpoolContract} as the file spool it stands for. */
class MemorySpoolTest implements SpoolContract {

    @Override
    public Spool spool() {
        return new MemorySpool();
    }

    @Override
    public List<Committed> committed(Spool spool) {
        return ((MemorySpool) spool).committed.stream()
                .map(s -> new Committed(s.id(), s.envelope(), s.text(), s.holdReason(), s.junk())).toList();
    }
}
