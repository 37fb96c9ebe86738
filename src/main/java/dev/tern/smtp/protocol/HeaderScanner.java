package dev.tern.smtp.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Watches the header block of a message on its way from the {@link MessageReader} to the spool: counts its octets
 * and its {@code Received:} fields while they stream by, so an oversized header or a mail loop is found without
 * buffering the message, and the checks at the end of data (DKIM, DMARC) never hold more header than
 * {@code maxHeaderSize} in memory.
 *
 * <p>The header block ends at its first empty line (RFC 5322 §2.1); from there octets pass straight through. When
 * a limit is passed nothing more is written to the sink (the message will be refused: the disk need not hold it),
 * but no exception is thrown either, so the reader goes on to the real end of the data and the session stays in
 * step; the caller asks {@link #problem()} after the end and turns it into the reply.
 *
 * <p>It also counts the {@code TLS-Required} fields (RFC 8689 §3) going by, so the end of data reads the header
 * back for that field only when the message has one.
 *
 * <p>Lines end in LF (the reader has made them CRLF or refused the message). A field name is what precedes the
 * colon at the start of a line, with the white space obsolete syntax allows before the colon (RFC 5322 §4.5.3);
 * continuation lines start with white space and name no field.
 */
public final class HeaderScanner extends OutputStream {

    /** The first limit the header broke. */
    public enum Problem { NONE, HEADER_TOO_LARGE, TOO_MANY_RECEIVED }

    /** The field names counted, lower case: {@code Received} and {@code TLS-Required}. */
    private static final byte[][] NAMES = {"received".getBytes(StandardCharsets.US_ASCII),
        "tls-required".getBytes(StandardCharsets.US_ASCII)};
    private static final int RECEIVED = 0;
    private static final int TLS_REQUIRED = 1;

    private final OutputStream sink;
    private final long maxHeaderSize;
    private final int maxReceived;

    private boolean inHeader = true;
    private long headerSize;
    private final int[] counted = new int[NAMES.length];
    private Problem problem = Problem.NONE;

    /**
     * For each name, how much of it the current line has matched at its start (its length: the name is complete,
     * white space or the colon may follow); -1 once the line cannot be that field.
     */
    private final int[] matched = new int[NAMES.length];
    /** Octets of the current line before its LF (a lone CR there still makes it the empty line). */
    private int lineLength;
    private boolean lineIsCr;

    /**
     * @param sink          where the octets go (not closed here)
     * @param maxHeaderSize octets the header block may have, its ending empty line included
     * @param maxReceived   {@code Received:} fields the message may arrive with (RFC 5321 §6.3)
     */
    public HeaderScanner(OutputStream sink, long maxHeaderSize, int maxReceived) {
        this.sink = sink;
        this.maxHeaderSize = maxHeaderSize;
        this.maxReceived = maxReceived;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (problem != Problem.NONE) {
            return;
        }
        int end = offset + length;
        int i = offset;
        while (inHeader && i < end) {
            scan(bytes[i++]);
            if (problem != Problem.NONE) {
                return; // what the header held so far may be in the sink; the draft is discarded anyway
            }
        }
        sink.write(bytes, offset, length);
    }

    private void scan(byte b) {
        if (++headerSize > maxHeaderSize) {
            problem = Problem.HEADER_TOO_LARGE;
            return;
        }
        if (b == '\n') {
            endOfLine();
            return;
        }
        if (lineLength++ == 0) {
            lineIsCr = b == '\r';
        }
        for (int n = 0; n < NAMES.length; n++) {
            matchName(n, b);
        }
    }

    private void matchName(int n, byte b) {
        int m = matched[n];
        byte[] name = NAMES[n];
        if (m < 0) {
            return;
        }
        if (m == name.length) {
            if (b == ':') {
                count(n);
                matched[n] = -1;
            } else if (b != ' ' && b != '\t') {
                matched[n] = -1;
            }
        } else {
            matched[n] = lowerCase(b) == name[m] ? m + 1 : -1;
        }
    }

    /** ASCII letters in lower case, any other octet as it is: names compare without regard to case. */
    private static int lowerCase(byte b) {
        return b >= 'A' && b <= 'Z' ? b | 0x20 : b;
    }

    private void endOfLine() {
        if (lineLength == 0 || lineLength == 1 && lineIsCr) {
            inHeader = false; // the empty line: the body follows
        }
        lineLength = 0;
        lineIsCr = false;
        Arrays.fill(matched, 0);
    }

    private void count(int n) {
        if (++counted[n] > maxReceived && n == RECEIVED) {
            problem = Problem.TOO_MANY_RECEIVED;
        }
    }

    public Problem problem() {
        return problem;
    }

    /** {@code Received:} fields counted so far (for the log). */
    public int receivedFields() {
        return counted[RECEIVED];
    }

    /** {@code TLS-Required:} fields seen so far in the header (RFC 8689 §3). */
    public int tlsRequiredFields() {
        return counted[TLS_REQUIRED];
    }

    /** Octets of header seen so far, the ending empty line included. */
    public long headerSize() {
        return headerSize;
    }

    @Override
    public void flush() throws IOException {
        sink.flush();
    }
}
