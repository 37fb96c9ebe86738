package dev.tern.smtp.server;

import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.queue.Spool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A hand-written in-memory {@link Spool} for session tests; can be told to fail at commit. */
final class MemorySpool implements Spool {

    record Stored(QueueId id, Envelope envelope, byte[] content, String holdReason) {
        String text() {
            return new String(content, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    final List<Stored> committed = new CopyOnWriteArrayList<>();
    volatile boolean failCommit;
    volatile int openDrafts;

    @Override
    public Draft create() {
        QueueId id = QueueId.next();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        openDrafts++;
        return new Draft() {
            boolean done;
            String hold;

            @Override
            public QueueId id() {
                return id;
            }

            @Override
            public OutputStream content() {
                return buffer;
            }

            @Override
            public void commit(Envelope envelope) throws IOException {
                if (failCommit) {
                    throw new IOException("injected: no space left on device");
                }
                committed.add(new Stored(id, envelope, buffer.toByteArray(), hold));
                done = true;
                openDrafts--;
            }

            @Override
            public void hold(String reason) {
                hold = reason;
            }

            @Override
            public void close() {
                if (!done) {
                    done = true;
                    openDrafts--;
                }
            }
        };
    }
}
