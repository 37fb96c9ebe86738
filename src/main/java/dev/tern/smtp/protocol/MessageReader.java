package dev.tern.smtp.protocol;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Reads message content after DATA (dot-stuffed, RFC 5321 §4.5.2) or in BDAT chunks (RFC 3030), copying it
 * to a sink while checking the rules of invariant 4. It always reads to the real end of the data, whatever
 * it finds on the way, so the session never loses step with the client.
 *
 * <p>SMTP smuggling (CVE-2023-51764 and relatives): the end of data is only CRLF "." CRLF. A bare CR or LF is
 * never a line end here: {@code \n.\n}, {@code \n.\r\n}, {@code \r.\r\n} and {@code \r\n.\r} are content.
 * By default such content is remembered as {@link Problem#BARE_LINE_ENDING} so the message is refused after
 * the end; with {@code normalizeBareLineEndings} each bare CR or LF becomes CRLF, and the line that follows
 * is taken literally (its leading dot is neither unstuffed nor an end of data), so normalising can never
 * create a terminator the client did not send.
 *
 * <p>With {@code lfEndsLines}, a bare LF ends a line exactly as CRLF does (it is stored as CRLF, and
 * {@code LF "." LF} ends the data). This is only for clients that may send any message anyway (authenticated
 * users and trusted networks), so there is nothing to smuggle past us: it lets a person type a message by
 * hand through {@code openssl s_client} or {@code nc}, which send LF alone.
 */
public final class MessageReader {

    /** How the content is framed. */
    public enum Mode {
        /** After DATA: dot-stuffed, ends at CRLF.CRLF. */
        DATA,
        /** BDAT with a 7bit/8bit body: length-delimited, line rules still apply. */
        TEXT_CHUNKS,
        /** BDAT with BODY=BINARYMIME: length-delimited, any octets (RFC 3030 §3). */
        BINARY_CHUNKS
    }

    /** The first rule the content broke; the message is refused with a reply naming it. */
    public enum Problem { NONE, TOO_BIG, LINE_TOO_LONG, BARE_LINE_ENDING, NUL, WRITE_FAILED }

    private final OutputStream sink;
    private final Mode mode;
    private final long maxSize;
    private final int maxLineContent;
    private final boolean normalize;
    private final boolean lfEndsLines;
    private final byte[] out = new byte[16 * 1024];
    private int outLength;

    private long size;
    private Problem problem = Problem.NONE;
    private IOException writeFailure;
    private boolean sawBareLineEnding;

    private boolean pendingCr;
    private boolean pendingDot;
    private boolean atLineStart = true;
    private boolean dotMayStartLine = true;
    private int lineLength;
    private boolean ended;

    /**
     * @param sink                     where the content goes (not closed here)
     * @param maxSize                  octets of content allowed (RFC 1870 SIZE)
     * @param maxTextLine              octets per line including CRLF (RFC 5321 §4.5.3.1.6)
     * @param normalizeBareLineEndings the named leniency; false by default
     */
    public MessageReader(OutputStream sink, Mode mode, long maxSize, int maxTextLine, boolean normalizeBareLineEndings) {
        this(sink, mode, maxSize, maxTextLine, normalizeBareLineEndings, false);
    }

    /** @param lfEndsLines whether a bare LF is a line end (see the class comment); false for the world */
    public MessageReader(OutputStream sink, Mode mode, long maxSize, int maxTextLine, boolean normalizeBareLineEndings,
                         boolean lfEndsLines) {
        this.sink = sink;
        this.mode = mode;
        this.maxSize = maxSize;
        this.maxLineContent = maxTextLine - 2;
        this.normalize = normalizeBareLineEndings;
        this.lfEndsLines = lfEndsLines;
    }

    /**
     * DATA mode: reads until CRLF.CRLF. Returns false if the connection ended first.
     */
    public boolean readData(SmtpInput input) throws IOException {
        while (!ended) {
            if (input.readChunk(Long.MAX_VALUE, this::scan) < 0) {
                return false;
            }
        }
        flushOut();
        return true;
    }

    /**
     * BDAT: reads exactly {@code chunkSize} octets. Returns false if the connection ended first.
     *
     * @param last whether this is the last chunk (a CR left pending at its end is a bare CR)
     */
    public boolean readChunk(SmtpInput input, long chunkSize, boolean last) throws IOException {
        long remaining = chunkSize;
        while (remaining > 0) {
            int n = input.readChunk(remaining, mode == Mode.BINARY_CHUNKS ? this::copy : this::scan);
            if (n < 0) {
                return false;
            }
            remaining -= n;
        }
        if (last && pendingCr) {
            pendingCr = false;
            bareLineEnding((byte) '\r');
        }
        flushOut();
        return true;
    }

    public Problem problem() {
        return problem;
    }

    /** The write error behind {@link Problem#WRITE_FAILED}, for the log. */
    public IOException writeFailure() {
        return writeFailure;
    }

    /** Octets of content after unstuffing (and normalising). */
    public long size() {
        return size;
    }

    private int copy(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            emit(bytes[i]);
        }
        return length;
    }

    /**
     * Scans a run of input; returns how much it consumed (it stops right after the end of data). Inside a line,
     * the octets up to the next CR, LF or NUL are ordinary content and are taken as one run ({@link #contentRun});
     * the state machine ({@link #scanByte}) sees only line ends, line starts and what follows a CR.
     */
    private int scan(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            if (!pendingCr && !atLineStart) {
                int stop = ordinaryUntil(bytes, i, end);
                if (stop > i) {
                    contentRun(bytes, i, stop - i);
                    i = stop;
                    if (i == end) {
                        break;
                    }
                }
            }
            if (scanByte(bytes[i])) {
                return i + 1 - offset;
            }
            i++;
        }
        return length;
    }

    /** The index of the first CR, LF or NUL from {@code from}, or {@code end}. */
    private static int ordinaryUntil(byte[] bytes, int from, int end) {
        int i = from;
        while (i < end) {
            byte b = bytes[i];
            if (b == '\r' || b == '\n' || b == 0) {
                return i;
            }
            i++;
        }
        return end;
    }

    /** {@link #content} for a run of ordinary octets inside a line: the same counts and limits, one copy. */
    private void contentRun(byte[] bytes, int offset, int length) {
        // Which limit the octet-by-octet path would have hit first: the first octet past each (for one octet, the
        // line's check comes before the size's).
        long lineOver = mode != Mode.BINARY_CHUNKS && (long) lineLength + length > maxLineContent
                ? Math.max(0, (long) maxLineContent - lineLength) : -1;
        long sizeOver = size + length > maxSize ? Math.max(0, maxSize - size) : -1;
        if (lineOver >= 0 && (sizeOver < 0 || lineOver <= sizeOver)) {
            firstProblem(Problem.LINE_TOO_LONG);
        }
        if (sizeOver >= 0) {
            firstProblem(Problem.TOO_BIG);
        }
        if (lineOver >= 0) {
            firstProblem(Problem.LINE_TOO_LONG);
        }
        lineLength += length;
        size += length;
        if (problem != Problem.NONE) {
            return; // the message will be refused: stop writing, keep reading
        }
        int from = offset;
        int left = length;
        while (left > 0) {
            int n = Math.min(left, out.length - outLength);
            System.arraycopy(bytes, from, out, outLength, n);
            outLength += n;
            from += n;
            left -= n;
            if (outLength == out.length) {
                flushOut();
            }
        }
    }

    /** Returns true at the end of data. */
    private boolean scanByte(byte b) {
        if (pendingCr) {
            pendingCr = false;
            if (b == '\n') {
                return endOfLine();
            }
            bareLineEnding((byte) '\r');
        }
        if (b == '\r') {
            pendingCr = true;
        } else if (b == '\n' && lfEndsLines) {
            return endOfLine();
        } else if (b == '\n') {
            bareLineEnding(b);
        } else if (mode == Mode.DATA && atLineStart && dotMayStartLine && b == '.') {
            pendingDot = true; // stuffed dot or terminator: not content either way (§4.5.2)
            atLineStart = false;
            lineLength = 1;
        } else {
            if (b == 0) {
                firstProblem(Problem.NUL);
            }
            content(b);
        }
        return false;
    }

    /** A CRLF (or, with lfEndsLines, a LF): the end of data if the line was a lone dot, else a line break. */
    private boolean endOfLine() {
        if (pendingDot && lineLength == 1) {
            ended = true;
            return true;
        }
        emit((byte) '\r');
        emit((byte) '\n');
        newLine(true);
        return false;
    }

    private void bareLineEnding(byte b) {
        sawBareLineEnding = true;
        if (normalize) {
            if (pendingDot && lineLength == 1) {
                emit((byte) '.'); // a lone dot ended by a bare CR/LF is content, not a terminator
            }
            emit((byte) '\r');
            emit((byte) '\n');
            newLine(false);
        } else {
            firstProblem(Problem.BARE_LINE_ENDING);
            content(b);
        }
    }

    private void content(byte b) {
        atLineStart = false;
        if (++lineLength > maxLineContent && mode != Mode.BINARY_CHUNKS) {
            firstProblem(Problem.LINE_TOO_LONG);
        }
        emit(b);
    }

    private void newLine(boolean dotAllowed) {
        atLineStart = true;
        dotMayStartLine = dotAllowed;
        pendingDot = false;
        lineLength = 0;
    }

    private void emit(byte b) {
        if (++size > maxSize) {
            firstProblem(Problem.TOO_BIG);
            return;
        }
        if (problem != Problem.NONE) {
            return; // the message will be refused: stop writing, keep reading
        }
        out[outLength++] = b;
        if (outLength == out.length) {
            flushOut();
        }
    }

    private void flushOut() {
        if (outLength == 0 || problem != Problem.NONE) {
            outLength = 0;
            return;
        }
        try {
            sink.write(out, 0, outLength);
        } catch (IOException e) {
            writeFailure = e;
            firstProblem(Problem.WRITE_FAILED);
        }
        outLength = 0;
    }

    private void firstProblem(Problem p) {
        if (problem == Problem.NONE) {
            problem = p;
        }
    }

    /** Whether a bare CR or LF was seen (also when normalised), for the log. */
    public boolean sawBareLineEnding() {
        return sawBareLineEnding;
    }
}
