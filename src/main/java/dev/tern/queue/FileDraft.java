package dev.tern.queue;

import dev.tern.io.SyncableOutputStream;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.observe.MailLog;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A message being received: content streams into {@code <id>.draft} through a 64 KiB buffer; commit appends
 * the envelope trailer, fsyncs the file once, renames it to {@code <id>.msg} and waits for the group's
 * directory fsync. Any failure deletes whatever this draft created. A held draft ({@link #hold}) also writes
 * {@code <id>.hold} before the rename and is not handed to the runner. Header fields to add above the content,
 * ranges to leave out and a folder ({@link SpoolExtras}) go into the same trailer, under the same fsync.
 */
final class FileDraft implements Spool.Draft {

    /**
     * The draft file's buffer, held by a session from DATA to its reply. The session's message reader already
     * writes in blocks of 16 KiB, so a larger buffer would only join two or four of them into one write call;
     * at 64 KiB it was most of the memory of a busy session (1,000 of them: 64 MiB).
     */
    private static final int BUFFER = 16 * 1024;
    /** The Maildir++ folder of {@link #deliverToJunk} (Dovecot's default special-use Junk mailbox). */
    static final String JUNK = "Junk";

    private final FileSpool spool;
    private final QueueId id;
    private final Path draftFile;
    /** The draft file and its buffer; {@link #rewrite} replaces both. */
    private SyncableOutputStream file;
    private BufferedOutputStream buffered;
    private final OutputStream content;
    private boolean done;
    private Hold hold;
    private SpoolExtras extras = SpoolExtras.NONE;

    FileDraft(FileSpool spool, QueueId id, Path draftFile, SyncableOutputStream file) {
        this.spool = spool;
        this.id = id;
        this.draftFile = draftFile;
        this.file = file;
        this.buffered = new BufferedOutputStream(file, BUFFER);
        this.content = new FilterOutputStream(buffered) {
            @Override
            public void write(int b) throws IOException {
                buffered.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                buffered.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                buffered.flush();
            }

            @Override
            public void close() throws IOException {
                flush(); // the session may close its stream; the file stays open until commit
            }
        };
    }

    @Override
    public QueueId id() {
        return id;
    }

    @Override
    public OutputStream content() {
        return content;
    }

    /** The content written so far, straight from the draft file (the buffer is flushed first). */
    @Override
    public InputStream openContent() throws IOException {
        checkOpen();
        buffered.flush();
        return new ContentSlice(draftFile, file.size()).open();
    }

    @Override
    public InputStream openMessage() throws IOException {
        checkOpen();
        buffered.flush();
        return new ContentSlice(draftFile, file.size(), extras).open();
    }

    /**
     * Streams the new content into {@code .<id>.draft} (a leftover name the spool removes at start), then renames
     * it over the draft: a crash in between leaves only drafts, which were never acknowledged.
     */
    @Override
    public void rewrite(Spool.Rewriter rewriter) throws IOException {
        checkOpen();
        Path next = draftFile.resolveSibling("." + draftFile.getFileName());
        SyncableOutputStream out = spool.files().create(next);
        BufferedOutputStream nextBuffer = new BufferedOutputStream(out, BUFFER);
        try (InputStream current = openMessage()) {
            rewriter.rewrite(current, nextBuffer);
            nextBuffer.flush();
            spool.files().rename(next, draftFile);
        } catch (IOException | RuntimeException e) {
            try {
                out.close();
            } catch (IOException ignored) {
                // deleted next
            }
            deleteQuietly(next, e);
            throw e;
        }
        closeQuietly();
        file = out;
        buffered = nextBuffer;
        extras = new SpoolExtras(new byte[0], java.util.List.of(), extras.folder());
    }

    @Override
    public void prepend(byte[] headerFields) {
        checkOpen();
        extras = extras.withPrefix(checkedFields(headerFields));
    }

    /** A copy of header fields to prepend, which must end in CRLF. */
    static byte[] checkedFields(byte[] headerFields) {
        int n = headerFields.length;
        if (n < 2 || headerFields[n - 2] != '\r' || headerFields[n - 1] != '\n') {
            throw new IllegalArgumentException("header fields must end in CRLF");
        }
        return headerFields.clone();
    }

    /** Takes over what a {@link MemoryDraft} decided before it spilled into this draft. */
    void adopt(SpoolExtras decided, Hold heldFor) {
        this.extras = decided;
        this.hold = heldFor;
    }

    @Override
    public void omit(long offset, long length) throws IOException {
        checkOpen();
        buffered.flush();
        extras = extras.withOmitted(new SpoolExtras.Range(offset, length), file.size());
    }

    @Override
    public void deliverToJunk() {
        checkOpen();
        extras = extras.withFolder(JUNK);
    }

    private void checkOpen() {
        if (done) {
            throw new IllegalStateException("draft " + id + " already committed or closed");
        }
    }

    @Override
    public void commit(Envelope envelope) throws IOException {
        if (done) {
            throw new IllegalStateException("draft " + id + " already committed or closed");
        }
        if (envelope.recipients().isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
        done = true;
        Path committed = spool.messageFile(id);
        Path holdFile = spool.holdFile(id);
        try {
            if (hold != null) {
                writeHold(holdFile); // before the rename: a .msg never exists without its hold
            }
            buffered.write(SpoolFormat.trailer(EnvelopeCodec.encode(envelope), extras));
            buffered.flush();
            file.sync();
            file.close();
            spool.files().rename(draftFile, committed);
            spool.syncDirectory();
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            deleteQuietly(draftFile, e);
            deleteQuietly(committed, e);
            if (hold != null) {
                deleteQuietly(holdFile, e);
            }
            throw e instanceof IOException io ? io : new IOException("commit failed for " + id, e);
        }
        if (hold == null) {
            spool.announce(id);
        } else {
            MailLog.event(id.value(), "held").with("reason", hold.reason()).log();
        }
    }

    @Override
    public void hold(String reason) {
        checkOpen();
        this.hold = new Hold(reason, Instant.now());
    }

    /** The hold file is fsync'd here; the directory fsync after the rename makes both names durable. */
    private void writeHold(Path holdFile) throws IOException {
        try (SyncableOutputStream out = spool.files().create(holdFile)) {
            out.write(hold.encode());
            out.sync();
        }
    }

    @Override
    public void close() {
        if (!done) {
            done = true;
            closeQuietly();
            deleteQuietly(draftFile, null);
        }
    }

    private void closeQuietly() {
        try {
            file.close();
        } catch (IOException | RuntimeException ignored) {
            // the file is deleted next; a close error changes nothing
        }
    }

    private void deleteQuietly(Path path, Exception cause) {
        try {
            spool.files().delete(path);
        } catch (IOException | RuntimeException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            }
        }
    }
}
