package dev.tern.smtp.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/**
 * The session's reader: a buffer over the connection that yields command lines, and lends its buffer to
 * the DATA and BDAT readers so that bytes already read are never lost or read twice.
 *
 * <p>A command line ends at CRLF (RFC 5321 §2.3.8) or at a bare LF, as Postfix 3.9's
 * {@code smtpd_forbid_bare_newline = normal} takes it: tools such as {@code openssl s_client} and
 * {@code nc} send LF alone when a person types, and a command line cannot smuggle anything (the end of
 * message data stays strict, see {@link MessageReader}). A CR not followed by LF is reported so the session
 * refuses the line. Over-long lines are consumed to their end and reported, so the session stays in step
 * with the client (invariant 4). Not thread-safe; one session owns it.
 *
 * <p>The buffer is borrowed from a {@link BufferPool} only while there is input to work on. Waiting for the
 * next command with nothing buffered, the reader gives it back and blocks on a read into a small array of
 * its own ({@link #WAKE_OCTETS}): on a virtual thread that read parks the thread, and the array it was given
 * is all the input memory an idle session holds. When octets arrive, a buffer is borrowed again and they
 * are copied into it. Message data (DATA, BDAT) keeps the buffer from its first read to its end: a pause
 * there is short, and each read is large.
 */
public final class SmtpInput {

    /**
     * Octets a reader waiting for a command reads without a borrowed buffer: most command lines, and a
     * pipelined MAIL, RCPT and DATA of a short envelope, arrive in one such read; the rest of a longer
     * burst comes with the next read into the borrowed buffer.
     */
    public static final int WAKE_OCTETS = 128;

    private final InputStream in;
    private final BufferPool buffers;
    /** The borrowed buffer, or null while none is (waiting for a command, or before the first read). */
    private byte[] buffer;
    /** Where a wait for a command reads its first octets; never longer than a borrowed buffer. */
    private final byte[] wake;
    private int position;
    private int limit;
    private final ReadPacer pacer;
    /** When the first octet of the command line being read arrived (System.nanoTime), or 0 between lines. */
    private long lineStartedNanos;
    private int lineOctets;

    /** A reader with a buffer of its own (a pool that keeps one): tests and other single readers. */
    public SmtpInput(InputStream in, int bufferSize) {
        this(in, bufferSize, null);
    }

    /** @param pacer told before every blocking read, so it can bound the wait; null for none */
    public SmtpInput(InputStream in, int bufferSize, ReadPacer pacer) {
        this(in, new BufferPool(bufferSize, 1), pacer);
    }

    /**
     * @param buffers where the read buffer is borrowed from, and given back to while waiting for a command
     * @param pacer   told before every blocking read, so it can bound the wait; null for none
     */
    public SmtpInput(InputStream in, BufferPool buffers, ReadPacer pacer) {
        this.in = in;
        this.buffers = buffers;
        this.wake = new byte[Math.min(WAKE_OCTETS, buffers.bufferSize())];
        this.pacer = pacer;
    }

    /** What {@link #readLine} found. */
    public enum LineStatus { OK, TOO_LONG, BARE_CR, EOF }

    /**
     * Decides how long the next read from the connection may block (a session sets its socket's read
     * timeout here), and may refuse to wait at all by throwing. Called before every read, not per octet.
     */
    @FunctionalInterface
    public interface ReadPacer {
        /**
         * @param lineStartedNanos when the first octet of a partly read command line arrived, or 0 when no
         *                         command line is in progress (between commands, or during message data)
         * @param lineOctets       octets of that command line read so far
         * @param waitingSince     when this wait for input began (System.nanoTime): a wait may be cut into
         *                         slices, each of which asks again
         * @return true when the timeout set is only a slice of the wait: if it expires, ask again
         */
        boolean beforeRead(long lineStartedNanos, int lineOctets, long waitingSince) throws IOException;
    }

    /** A line read into a caller-owned array. */
    public static final class Line {
        private final byte[] bytes;
        private int length;
        private LineStatus status;

        public Line(int capacity) {
            this.bytes = new byte[capacity];
        }

        public byte[] bytes() {
            return bytes;
        }

        public int length() {
            return length;
        }

        public LineStatus status() {
            return status;
        }
    }

    /**
     * Reads one line ending in CRLF or LF into {@code line} (without the line end). A line of more than
     * {@code line.bytes().length} octets is consumed to its end and reported as TOO_LONG; a CR followed by
     * anything but LF makes the line BARE_CR (it is still read to its end).
     */
    public void readLine(Line line) throws IOException {
        int max = line.bytes.length;
        int length = 0;
        boolean tooLong = false;
        boolean bareCr = false;
        boolean pendingCr = false;
        lineStartedNanos = 0;
        while (true) {
            if (position == limit) {
                lineOctets = length + (pendingCr ? 1 : 0);
                boolean betweenLines = length == 0 && !pendingCr; // waiting for a command: the buffer may go
                if (!(betweenLines ? awaitLine() : fill())) {
                    line.length = Math.min(length, max);
                    line.status = LineStatus.EOF;
                    return;
                }
            }
            if (lineStartedNanos == 0) {
                lineStartedNanos = System.nanoTime();
            }
            byte b = buffer[position++];
            if (b == '\n') {
                lineStartedNanos = 0;
                line.length = Math.min(length, max);
                line.status = tooLong ? LineStatus.TOO_LONG : bareCr ? LineStatus.BARE_CR : LineStatus.OK;
                return;
            }
            if (pendingCr) {
                bareCr = true;
                length = append(line, length, (byte) '\r', max);
                tooLong |= length > max;
                pendingCr = false;
            }
            if (b == '\r') {
                pendingCr = true;
            } else {
                length = append(line, length, b, max);
                tooLong |= length > max;
            }
        }
    }

    private static int append(Line line, int length, byte b, int max) {
        if (length < max) {
            line.bytes[length] = b;
        }
        return length == Integer.MAX_VALUE ? length : length + 1;
    }

    /** Whether more input is already buffered (so replies may wait: RFC 2920 §3.1 pipelining). */
    public boolean hasBufferedInput() throws IOException {
        return holdsUnread() || in.available() > 0;
    }

    /** Whether octets read from the connection wait in this buffer; unlike {@link #hasBufferedInput} no system call. */
    public boolean holdsUnread() {
        return position < limit;
    }

    /** Drops everything buffered: after STARTTLS, nothing read before the handshake may be used (RFC 3207 §4.2). */
    public int discardBuffered() {
        int dropped = limit - position;
        position = limit = 0;
        release();
        return dropped;
    }

    /** Gives the borrowed buffer back, if any, dropping what it held: at the end of the session. */
    public void release() {
        if (buffer != null) {
            buffers.give(buffer);
            buffer = null;
        }
        position = limit = 0;
    }

    /** Whether a buffer is borrowed now (for tests: a reader waiting for a command holds none). */
    boolean holdsBuffer() {
        return buffer != null;
    }

    /** Reads the next octet, or -1 at end of stream. */
    public int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xFF;
    }

    /**
     * Hands buffered or freshly read octets to {@code sink}: at most {@code max}. Returns the count, or -1 at
     * end of stream. The sink must not keep the array.
     */
    public int readChunk(long max, ChunkSink sink) throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        int count = (int) Math.min(max, limit - position);
        int consumed = sink.accept(buffer, position, count);
        position += consumed;
        return consumed;
    }

    /** A read whose wait the pacer bounds, slice by slice (a socket read that timed out may be tried again). */
    private int pacedRead(byte[] into) throws IOException {
        long waitingSince = System.nanoTime();
        while (true) {
            boolean slice = pacer.beforeRead(lineStartedNanos, lineOctets, waitingSince);
            try {
                return in.read(into, 0, into.length);
            } catch (SocketTimeoutException e) {
                if (!slice) {
                    throw e;
                }
            }
        }
    }

    /** Receives a run of input octets; returns how many it consumed (it may stop early, e.g. at end of data). */
    @FunctionalInterface
    public interface ChunkSink {
        int accept(byte[] bytes, int offset, int length) throws IOException;
    }

    /** Refills the empty buffer, borrowing one first if none is held. */
    private boolean fill() throws IOException {
        if (buffer == null) {
            buffer = buffers.take();
        }
        int n = read(buffer);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    /**
     * The wait for a command with nothing buffered: the buffer goes back to the pool, the wait reads into the
     * small wake array, and what arrived is copied into a buffer borrowed again.
     */
    private boolean awaitLine() throws IOException {
        release();
        int n = read(wake);
        if (n <= 0) {
            return false;
        }
        buffer = buffers.take();
        System.arraycopy(wake, 0, buffer, 0, n);
        position = 0;
        limit = n;
        return true;
    }

    private int read(byte[] into) throws IOException {
        return pacer == null ? in.read(into, 0, into.length) : pacedRead(into);
    }
}
