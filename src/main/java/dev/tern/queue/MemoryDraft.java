package dev.tern.queue;

import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A message being received into memory, committed to the spool's journal ({@link SpoolJournal}) in one append.
 *
 * <p>It becomes an ordinary {@link FileDraft} (spills) as soon as it is more than the journal takes: content
 * beyond {@link DraftMemory#perMessage}, memory beyond the spool's budget for all drafts, a hold (a held message
 * outlives its first attempt, so it belongs in a file), or a rewrite by a milter. From then on every call goes to
 * the file draft, which is given what was written and decided so far.
 */
final class MemoryDraft implements Spool.Draft {

    private final FileSpool spool;
    private final QueueId id;
    private final DraftMemory memory;
    private final List<byte[]> chunks = new ArrayList<>();
    private int lastUsed = DraftMemory.CHUNK;
    private long size;
    private FileDraft spilled;
    private boolean done;
    private Hold hold;
    private SpoolExtras extras = SpoolExtras.NONE;
    private final OutputStream content = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            append(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (spilled != null) {
                spilled.content().flush();
            }
        }
    };

    MemoryDraft(FileSpool spool, QueueId id, DraftMemory memory) {
        this.spool = spool;
        this.id = id;
        this.memory = memory;
    }

    @Override
    public QueueId id() {
        return id;
    }

    @Override
    public OutputStream content() {
        return content;
    }

    private void append(byte[] b, int off, int len) throws IOException {
        checkOpen();
        if (spilled == null && size + len > memory.perMessage()) {
            spill();
        }
        if (spilled != null) {
            spilled.content().write(b, off, len);
            return;
        }
        while (len > 0) {
            if (lastUsed == DraftMemory.CHUNK) {
                if (!memory.reserve()) {
                    spill();
                    spilled.content().write(b, off, len);
                    return;
                }
                chunks.add(new byte[DraftMemory.CHUNK]);
                lastUsed = 0;
            }
            int n = Math.min(len, DraftMemory.CHUNK - lastUsed);
            System.arraycopy(b, off, chunks.get(chunks.size() - 1), lastUsed, n);
            lastUsed += n;
            size += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public InputStream openContent() throws IOException {
        checkOpen();
        return spilled != null ? spilled.openContent() : ContentSlice.assemble(written(), size, SpoolExtras.NONE);
    }

    @Override
    public InputStream openMessage() throws IOException {
        checkOpen();
        return spilled != null ? spilled.openMessage() : ContentSlice.assemble(written(), size, extras);
    }

    private InputStream written() {
        List<InputStream> parts = new ArrayList<>(chunks.size());
        for (ByteBuffer b : buffers()) {
            parts.add(new ByteArrayInputStream(b.array(), 0, b.limit()));
        }
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    /** The content written so far, one buffer per chunk. */
    private List<ByteBuffer> buffers() {
        List<ByteBuffer> out = new ArrayList<>(chunks.size() + 1);
        for (int i = 0; i < chunks.size(); i++) {
            out.add(ByteBuffer.wrap(chunks.get(i), 0, i == chunks.size() - 1 ? lastUsed : DraftMemory.CHUNK));
        }
        return out;
    }

    /** A milter's rewrite streams the new content to a file, as a file draft does. */
    @Override
    public void rewrite(Spool.Rewriter rewriter) throws IOException {
        checkOpen();
        spill();
        spilled.rewrite(rewriter);
    }

    @Override
    public void prepend(byte[] headerFields) {
        checkOpen();
        if (spilled != null) {
            spilled.prepend(headerFields);
        } else {
            extras = extras.withPrefix(FileDraft.checkedFields(headerFields));
        }
    }

    @Override
    public void omit(long offset, long length) throws IOException {
        checkOpen();
        if (spilled != null) {
            spilled.omit(offset, length);
        } else {
            extras = extras.withOmitted(new SpoolExtras.Range(offset, length), size);
        }
    }

    @Override
    public void deliverToJunk() {
        checkOpen();
        if (spilled != null) {
            spilled.deliverToJunk();
        } else {
            extras = extras.withFolder(FileDraft.JUNK);
        }
    }

    @Override
    public void hold(String reason) {
        checkOpen();
        if (spilled != null) {
            spilled.hold(reason);
        } else {
            hold = new Hold(reason, Instant.now());
        }
    }

    @Override
    public void commit(Envelope envelope) throws IOException {
        checkOpen();
        if (envelope.recipients().isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
        if (hold != null) {
            spill();
        }
        if (spilled != null) {
            done = true;
            spilled.commit(envelope);
            return;
        }
        done = true;
        try {
            List<ByteBuffer> payload = buffers();
            payload.add(ByteBuffer.wrap(SpoolFormat.trailer(EnvelopeCodec.encode(envelope), extras)));
            spool.commitToJournal(id, payload, envelope, size, extras);
        } finally {
            release();
        }
    }

    @Override
    public void close() {
        if (!done) {
            done = true;
            release();
            if (spilled != null) {
                spilled.close();
            }
        }
    }

    /** Moves what is in memory to a file draft, which takes every later call. */
    private void spill() throws IOException {
        if (spilled != null) {
            return;
        }
        FileDraft file = spool.fileDraft(id);
        try {
            for (ByteBuffer b : buffers()) {
                file.content().write(b.array(), 0, b.limit());
            }
            file.adopt(extras, hold);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        spilled = file;
        release();
    }

    private void release() {
        memory.release(chunks.size());
        chunks.clear();
        lastUsed = DraftMemory.CHUNK;
    }

    private void checkOpen() {
        if (done) {
            throw new IllegalStateException("draft " + id + " already committed or closed");
        }
    }
}
