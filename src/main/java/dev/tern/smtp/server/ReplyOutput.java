package dev.tern.smtp.server;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The session's buffered output: replies gather in an array allocated at the first write after a flush and
 * dropped by the flush, so that a session waiting for its next command holds no output buffer at all. A
 * session flushes before every wait for input (when no pipelined command is buffered, RFC 2920 §3.1), so an
 * idle session always waits with none; a reply to a pipelined group grows the array from {@link #FIRST} up
 * to {@link #MAX} octets, and a group that fills it is written out in parts, as BufferedOutputStream does.
 *
 * <p>Not thread-safe: one session writes to it. Dropping the array costs a small allocation per flush (a
 * few hundred octets, dead before the next young collection), against 8 KiB held by every idle session.
 */
final class ReplyOutput extends OutputStream {

    /** Enough for most replies and the EHLO reply in one array. */
    static final int FIRST = 512;
    /** The most octets gathered before a write to the connection; larger writes go straight through. */
    static final int MAX = 8 * 1024;

    private final OutputStream out;
    private byte[] buffer;
    private int count;

    ReplyOutput(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (length >= MAX) {
            writeBuffered();
            out.write(bytes, offset, length);
            return;
        }
        if (count + length > MAX) {
            writeBuffered();
        }
        ensureRoom(length);
        System.arraycopy(bytes, offset, buffer, count, length);
        count += length;
    }

    private void ensureRoom(int length) {
        int needed = count + length;
        if (buffer == null) {
            buffer = new byte[Math.max(FIRST, Integer.highestOneBit(needed - 1) << 1)];
        } else if (needed > buffer.length) {
            byte[] larger = new byte[Math.min(MAX, Math.max(buffer.length * 2, Integer.highestOneBit(needed - 1) << 1))];
            System.arraycopy(buffer, 0, larger, 0, count);
            buffer = larger;
        }
    }

    private void writeBuffered() throws IOException {
        if (count > 0) {
            out.write(buffer, 0, count);
            count = 0;
        }
    }

    /** Writes what is gathered, drops the array (the session is about to wait) and flushes the connection. */
    @Override
    public void flush() throws IOException {
        writeBuffered();
        buffer = null;
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            out.close();
        }
    }

    /** Whether an array is held now (for tests: none after a flush). */
    boolean holdsBuffer() {
        return buffer != null;
    }
}
