package dev.tern.smtp.protocol;

import java.io.IOException;
import java.io.InputStream;

/**
 * The session's reader: a buffer over the connection that yields command lines, and lends its buffer to
 * the DATA and BDAT readers so that bytes already read are never lost or read twice.
 *
 * <p>A command line ends only at CRLF (RFC 5321 §2.3.8). A bare LF is never an end of line: it is reported
 * so the session can refuse the line. Over-long lines are consumed to their CRLF and reported, so the
 * session stays in step with the client (invariant 4). Not thread-safe; one session owns it.
 */
public final class SmtpInput {

    private final InputStream in;
    private final byte[] buffer;
    private int position;
    private int limit;

    public SmtpInput(InputStream in, int bufferSize) {
        this.in = in;
        this.buffer = new byte[bufferSize];
    }

    /** What {@link #readLine} found. */
    public enum LineStatus { OK, TOO_LONG, BARE_LF, EOF }

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
     * Reads one line ending in CRLF into {@code line} (without the CRLF). A line of more than
     * {@code line.bytes().length} octets before its CRLF is consumed and reported as TOO_LONG; a LF without CR
     * stops the read at once with BARE_LF (the rest of the line is not consumed).
     */
    public void readLine(Line line) throws IOException {
        int max = line.bytes.length;
        int length = 0;
        boolean tooLong = false;
        boolean pendingCr = false;
        while (true) {
            if (position == limit && !fill()) {
                line.length = length;
                line.status = LineStatus.EOF;
                return;
            }
            byte b = buffer[position++];
            if (pendingCr) {
                if (b == '\n') {
                    line.length = length;
                    line.status = tooLong ? LineStatus.TOO_LONG : LineStatus.OK;
                    return;
                }
                length = append(line, length, (byte) '\r', max);
                tooLong |= length > max;
                pendingCr = false;
            }
            if (b == '\r') {
                pendingCr = true;
            } else if (b == '\n') {
                line.length = Math.min(length, max);
                line.status = LineStatus.BARE_LF;
                return;
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
        return position < limit || in.available() > 0;
    }

    /** Drops everything buffered: after STARTTLS, nothing read before the handshake may be used (RFC 3207 §4.2). */
    public int discardBuffered() {
        int dropped = limit - position;
        position = limit = 0;
        return dropped;
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

    /** Receives a run of input octets; returns how many it consumed (it may stop early, e.g. at end of data). */
    @FunctionalInterface
    public interface ChunkSink {
        int accept(byte[] bytes, int offset, int length) throws IOException;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }
}
