package dev.tern.smtp.server;

import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.queue.Spool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A hand-written in-memory {@link Spool} for session tests; can be told to fail at commit. What it commits is what
 * the file spool's readers would see: the prepended fields, then the content without the omitted ranges. It
 * refuses what the file spool refuses, and passes the same {@code SpoolContract} (MemorySpoolTest).
 */
final class MemorySpool implements Spool {

    record Stored(QueueId id, Envelope envelope, byte[] content, String holdReason, boolean junk) {
        String text() {
            return new String(content, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    final List<Stored> committed = new CopyOnWriteArrayList<>();
    volatile boolean failCommit;
    volatile int openDrafts;
    /** How often a draft's content was read back, over all drafts. */
    volatile int readBacks;
    /** How often a draft's content was rewritten (milter changes), over all drafts. */
    volatile int rewrites;
    /** The most content a draft held when it was discarded uncommitted. */
    volatile long largestDiscarded;

    @Override
    public Draft create() {
        QueueId id = QueueId.next();
        openDrafts++;
        return new Draft() {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            final OutputStream content = new OutputStream() {
                @Override
                public void write(int b) {
                    buffer.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    buffer.write(b, off, len);
                }
            };
            boolean done;
            String hold;
            boolean junk;
            byte[] prefix = new byte[0];
            final List<long[]> omitted = new ArrayList<>();

            @Override
            public QueueId id() {
                return id;
            }

            @Override
            public OutputStream content() {
                return content;
            }

            @Override
            public InputStream openMessage() {
                readBacks++;
                return new ByteArrayInputStream(message());
            }

            @Override
            public void rewrite(Spool.Rewriter rewriter) throws IOException {
                ByteArrayOutputStream next = new ByteArrayOutputStream();
                rewriter.rewrite(new ByteArrayInputStream(message()), next);
                buffer = next;
                prefix = new byte[0];
                omitted.clear();
                rewrites++;
            }

            /** As the file spool: a committed or closed draft cannot be used again. */
            private void checkOpen() {
                if (done) {
                    throw new IllegalStateException("draft " + id + " already committed or closed");
                }
            }

            @Override
            public InputStream openContent() {
                checkOpen();
                readBacks++;
                return new ByteArrayInputStream(buffer.toByteArray());
            }

            @Override
            public void prepend(byte[] headerFields) {
                checkOpen();
                int n = headerFields.length;
                if (n < 2 || headerFields[n - 2] != '\r' || headerFields[n - 1] != '\n') {
                    throw new IllegalArgumentException("header fields must end in CRLF");
                }
                byte[] joined = new byte[headerFields.length + prefix.length];
                System.arraycopy(headerFields, 0, joined, 0, headerFields.length);
                System.arraycopy(prefix, 0, joined, headerFields.length, prefix.length);
                prefix = joined;
            }

            @Override
            public void omit(long offset, long length) {
                checkOpen();
                if (offset < 0 || length <= 0 || offset + length > buffer.size()) {
                    throw new IllegalArgumentException("bad range");
                }
                for (long[] r : omitted) {
                    if (offset < r[0] + r[1] && r[0] < offset + length) {
                        throw new IllegalArgumentException("overlapping content ranges");
                    }
                }
                omitted.add(new long[] {offset, length});
            }

            @Override
            public void deliverToJunk() {
                checkOpen();
                junk = true;
            }

            @Override
            public void commit(Envelope envelope) throws IOException {
                checkOpen();
                if (envelope.recipients().isEmpty()) {
                    throw new IllegalArgumentException("an envelope needs at least one recipient");
                }
                if (failCommit) {
                    throw new IOException("injected: no space left on device");
                }
                committed.add(new Stored(id, envelope, message(), hold, junk));
                done = true;
                openDrafts--;
            }

            private byte[] message() {
                byte[] content = buffer.toByteArray();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(prefix);
                int pos = 0;
                omitted.sort(Comparator.comparingLong(r -> r[0]));
                for (long[] r : omitted) {
                    out.write(content, pos, (int) r[0] - pos);
                    pos = (int) (r[0] + r[1]);
                }
                out.write(content, pos, content.length - pos);
                return out.toByteArray();
            }

            @Override
            public void hold(String reason) {
                checkOpen();
                hold = reason;
            }

            @Override
            public void close() {
                if (!done) {
                    done = true;
                    openDrafts--;
                    largestDiscarded = Math.max(largestDiscarded, buffer.size());
                }
            }
        };
    }
}
