package dev.tern.mail.header;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The header block of a message (RFC 5322 §2.1, §2.2): its fields in order, each keeping its raw octets and its
 * offsets ({@link HeaderField}), and where the body starts. DKIM, DMARC, bounces, submission fix-ups and
 * {@code sendmail} all read a header through this one type.
 *
 * <p>Parsing never fails, whatever the octets. A line starting with SP or HTAB continues the field above
 * (folding, §2.2.3), or starts a field when there is none above. A line without a colon is a field of its own
 * (see {@link HeaderField}). The block ends at the first empty line, which belongs to neither header nor body
 * (RFC 6376 §3.4.3), or at the end of the octets: a message may have no body. What ends a line is the one
 * choice a reader makes ({@link LineEnds}).
 */
public final class HeaderBlock {

    /** What ends a header line. */
    public enum LineEnds {
        /**
         * CRLF only; a bare CR or LF is an ordinary octet of the line. DKIM hashes octets and RFC 6376 §3.4 knows
         * lines by CRLF, and the end of the header in a stream is always CRLF CRLF ({@link #read}).
         */
        CRLF,
        /**
         * LF, with or without CR before it (one CR goes with the LF). DMARC, Authentication-Results,
         * {@code sendmail} (a local program writes LF) and bounces read lines this way, so a header written with
         * bare LFs still shows its From.
         */
        LF
    }

    private static final int FIRST_CHUNK = 8 * 1024;
    private static final int CHUNK = 64 * 1024;

    private final byte[] bytes;
    private final int length;
    private final LineEnds ends;
    private final List<HeaderField> fields;
    private final int bodyOffset;
    private final boolean bareLf;

    private HeaderBlock(byte[] bytes, int length, LineEnds ends, List<HeaderField> fields, int bodyOffset,
                        boolean bareLf) {
        this.bytes = bytes;
        this.length = length;
        this.ends = ends;
        this.fields = fields;
        this.bodyOffset = bodyOffset;
        this.bareLf = bareLf;
    }

    /**
     * The header block at the start of the first {@code length} octets of {@code message}, which is neither
     * copied nor to be changed afterwards (the fields are views of it).
     */
    public static HeaderBlock parse(byte[] message, int length, LineEnds ends) {
        Objects.checkFromIndexSize(0, length, message.length);
        List<HeaderField> fields = new ArrayList<>();
        Lines lines = new Lines(message, length, ends);
        int fieldStart = -1;
        int firstLineEnd = -1;
        int colon = -1;
        int contentEnd = -1;
        int end = -1;
        int bodyOffset = length;
        for (int pos = 0; pos < length; pos = lines.lineEnd) {
            lines.next(pos);
            if (lines.contentEnd == pos) {
                bodyOffset = lines.lineEnd; // the empty line between header and body
                break;
            }
            if (fieldStart < 0 || !isWsp(message[pos])) {
                if (fieldStart >= 0) {
                    fields.add(new HeaderField(message, fieldStart, contentEnd, end, firstLineEnd, colon));
                }
                fieldStart = pos;
                firstLineEnd = lines.contentEnd;
                colon = -1;
            }
            if (colon < 0) {
                colon = HeaderField.indexOf(message, pos, lines.contentEnd);
            }
            contentEnd = lines.contentEnd;
            end = lines.lineEnd;
        }
        if (fieldStart >= 0) {
            fields.add(new HeaderField(message, fieldStart, contentEnd, end, firstLineEnd, colon));
        }
        return new HeaderBlock(message, length, ends, Collections.unmodifiableList(fields), bodyOffset, lines.bareLf);
    }

    /** The same for all of {@code message}. */
    public static HeaderBlock parse(byte[] message, LineEnds ends) {
        return parse(message, message.length, ends);
    }

    /** A header block given as text, one octet per char (ISO-8859-1), lines ending in CRLF: for tests and tools. */
    public static HeaderBlock parse(String text) {
        return parse(text.getBytes(StandardCharsets.ISO_8859_1), LineEnds.CRLF);
    }

    /**
     * Reads the header block from {@code in} up to and including the empty line (CRLF CRLF, or a CRLF first),
     * or to the end of the input, and leaves the stream at the first octet of the body: one pass over a message
     * serves DMARC (the header) and DKIM (all of it). Read a buffered stream: this reads one octet at a time.
     * Lines end in CRLF ({@link #as} gives the other view). The size is bounded before a message gets here
     * ({@code [limits] max_header_size}, enforced as it arrives); a large header is gathered in chunks and
     * joined once, which allocates twice its size rather than the four times of an array that doubles.
     */
    public static HeaderBlock read(InputStream in) throws IOException {
        Chunks out = new Chunks();
        int state = 0; // how much of CRLF CRLF was just seen; the message may also start with its empty line
        boolean lineStart = true;
        for (int b; (b = in.read()) != -1; ) {
            out.add(b);
            if (b == '\r') {
                state = lineStart ? 3 : 1;
            } else if (b == '\n' && (state == 1 || state == 3)) {
                if (state == 3) {
                    break; // an empty line: the header ends here
                }
                lineStart = true;
                state = 0;
                continue;
            } else {
                state = 0;
            }
            lineStart = false;
        }
        byte[] all = out.join();
        return parse(all, out.size, LineEnds.CRLF);
    }

    /**
     * The header lines of a stored message as a person reads them (a bounce's text/rfc822-headers, RFC 6522;
     * {@code tern queue show}): at most {@code max} octets, cut after the last whole line, lines ending in LF
     * or CRLF, up to the first line that starts with CR or LF, which is left out and taken as the empty line.
     * The octets are those lines and a CRLF for the empty line: a header section that ends as RFC 5322 §2.1 says.
     */
    public static HeaderBlock excerpt(InputStream in, int max) throws IOException {
        Chunks out = new Chunks();
        boolean lineStart = true;
        int b;
        while (out.size < max && (b = in.read()) >= 0) {
            if (lineStart && (b == '\r' || b == '\n')) {
                break; // the empty line: end of the header section
            }
            out.add(b);
            lineStart = b == '\n';
        }
        byte[] all = out.join();
        int end = out.size;
        while (end > 0 && all[end - 1] != '\n') {
            end--; // a huge header, or one without a final line end, is cut at a line end
        }
        if (all.length < end + 2) {
            all = Arrays.copyOf(all, end + 2);
        }
        all[end] = '\r';
        all[end + 1] = '\n';
        return parse(all, end + 2, LineEnds.LF);
    }

    /**
     * The same octets read with lines ending as {@code other} says; this block itself when that changes
     * nothing (no bare LF before the end of the header), so a caller that needs both views parses once.
     */
    public HeaderBlock as(LineEnds other) {
        if (other == ends || !bareLf) {
            return this;
        }
        return parse(bytes, length, other);
    }

    /** Every field, in order, lines of junk included. */
    public List<HeaderField> fields() {
        return fields;
    }

    /** The fields whose first line starts with a name and a colon ({@link HeaderField#startsWithName()}). */
    public List<HeaderField> namedFields() {
        for (HeaderField f : fields) {
            if (!f.startsWithName()) {
                return fields.stream().filter(HeaderField::startsWithName).toList();
            }
        }
        return fields;
    }

    /** Whether there is a field called {@code name} (without regard to case). */
    public boolean has(String name) {
        return fields.stream().anyMatch(f -> f.is(name));
    }

    /** The offset of the first octet of the body: past the empty line, or {@link #length()} when there is none. */
    public int bodyOffset() {
        return bodyOffset;
    }

    /** How many octets the block was parsed from (the header, and the body when it was given too). */
    public int length() {
        return length;
    }

    /** A copy of the octets the block was parsed from. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    /** A copy of the octets from {@code from} to {@code to}. */
    public byte[] copyOfRange(int from, int to) {
        Objects.checkFromToIndex(from, to, length);
        return Arrays.copyOfRange(bytes, from, to);
    }

    static boolean isWsp(int b) {
        return b == ' ' || b == '\t';
    }

    /** Finds line after line; one object per parse, so the loop allocates nothing per line. */
    private static final class Lines {
        private final byte[] m;
        private final int length;
        private final LineEnds ends;
        int contentEnd;
        int lineEnd;
        boolean bareLf;

        Lines(byte[] m, int length, LineEnds ends) {
            this.m = m;
            this.length = length;
            this.ends = ends;
        }

        /** Sets {@link #contentEnd} (before the line end) and {@link #lineEnd} (past it) for the line at pos. */
        void next(int pos) {
            for (int i = pos; i < length; i++) {
                byte b = m[i];
                if (ends == LineEnds.CRLF && b == '\r' && i + 1 < length && m[i + 1] == '\n') {
                    contentEnd = i;
                    lineEnd = i + 2;
                    return;
                }
                if (b == '\n') {
                    if (ends == LineEnds.LF) {
                        contentEnd = i > pos && m[i - 1] == '\r' ? i - 1 : i;
                        lineEnd = i + 1;
                        bareLf |= contentEnd == i;
                        return;
                    }
                    bareLf = true; // a CRLF would have been found at its CR
                }
            }
            contentEnd = length;
            lineEnd = length;
        }
    }

    /** Octets gathered in chunks, joined once at the end. */
    private static final class Chunks {
        private final List<byte[]> full = new ArrayList<>();
        private byte[] last = new byte[FIRST_CHUNK];
        private int lastLength;
        int size;

        void add(int b) {
            if (lastLength == last.length) {
                full.add(last);
                last = new byte[CHUNK];
                lastLength = 0;
            }
            last[lastLength++] = (byte) b;
            size++;
        }

        byte[] join() {
            if (full.isEmpty()) {
                return last;
            }
            byte[] all = new byte[size];
            int pos = 0;
            for (byte[] chunk : full) {
                System.arraycopy(chunk, 0, all, pos, chunk.length);
                pos += chunk.length;
            }
            System.arraycopy(last, 0, all, pos, lastLength);
            return all;
        }
    }
}
