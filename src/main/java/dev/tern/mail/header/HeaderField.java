package dev.tern.mail.header;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One field of a header block (RFC 5322 §2.2): its octets exactly as received, where they lie in the message,
 * its name, and its value unfolded and decoded as UTF-8 (RFC 6532).
 *
 * <p>The octets are not copied out of the message: a field is a view of {@link HeaderBlock}'s array, which
 * nobody writes to once it is parsed. Its raw form ({@link #length()} octets from {@link #start()}: name,
 * colon, value and inner folds, without the line end that closes the field) is what DKIM's simple
 * canonicalization hashes (RFC 6376 §3.4.1) and what a bounce returns; {@link #end()} is past that line end,
 * so a caller can cut the whole field out.
 *
 * <p>A line that is neither a field nor a continuation (no colon, or the colon first) is kept as a field too,
 * with its continuations: {@link #name()} is then empty, or names nothing a reader will ask for. Readers that
 * want only real fields ask {@link #startsWithName()} or {@link #hasStrictName()}.
 */
public final class HeaderField {

    private final byte[] bytes;
    private final int start;
    private final int contentEnd;
    private final int end;
    private final int firstLineEnd;
    private final int colon;
    private final String name;
    private String value; // unfolded lazily: most fields are never asked for it
    private String lenientName;

    HeaderField(byte[] bytes, int start, int contentEnd, int end, int firstLineEnd, int colon) {
        this.bytes = bytes;
        this.start = start;
        this.contentEnd = contentEnd;
        this.end = end;
        this.firstLineEnd = firstLineEnd;
        this.colon = colon;
        this.name = nameOf(bytes, start, colon);
    }

    /** A field on its own from its raw octets, all of them (no closing line end), folds written as CRLF. */
    public static HeaderField of(byte[] raw) {
        byte[] copy = raw.clone();
        int firstLineEnd = copy.length;
        for (int i = 0; i + 1 < copy.length; i++) {
            if (copy[i] == '\r' && copy[i + 1] == '\n') {
                firstLineEnd = i;
                break;
            }
        }
        return new HeaderField(copy, 0, copy.length, copy.length, firstLineEnd, indexOf(copy, 0, copy.length));
    }

    /** A field on its own from its text, one octet per char (ISO-8859-1), folds written as CRLF. */
    public static HeaderField of(String text) {
        return of(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * The name: the octets before the first colon, one char per octet, without the WSP the obsolete syntax
     * allows before the colon (RFC 5322 §4.5.3); empty when the field has no colon.
     */
    public String name() {
        return name;
    }

    /** Whether this is a field called {@code other}; names compare without regard to case (RFC 5322 §1.2.2). */
    public boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }

    /**
     * Whether the name, decoded as UTF-8 and with Unicode white space (as {@link String#strip()} sees it) around
     * it ignored, is {@code other} without regard to case. DMARC's author lookup, its DKIM key prefetch and the
     * Authentication-Results filter have always compared names this way, which finds a field whose name has,
     * say, a vertical tab before its colon; DKIM ({@link #is}) does not.
     */
    public boolean isLeniently(String other) {
        String n = lenientName;
        if (n == null) {
            n = colon < 0 ? "" : new String(bytes, start, colon - start, StandardCharsets.UTF_8).strip();
            lenientName = n;
        }
        return n.equalsIgnoreCase(other);
    }

    /**
     * Whether the first line starts with a name and a colon (not with WSP, nor with the colon): a real field
     * rather than a line of junk. DMARC and Authentication-Results read only these.
     */
    public boolean startsWithName() {
        return colon > start && colon < firstLineEnd && !HeaderBlock.isWsp(bytes[start]);
    }

    /**
     * Whether the name is RFC 5322 §3.6.8's {@code field-name}: one or more printable US-ASCII octets but the
     * colon, straight before the colon, on the first line. {@code sendmail -t} takes the first line that is not
     * such a field (nor a continuation) as the start of the body.
     */
    public boolean hasStrictName() {
        if (!startsWithName()) {
            return false;
        }
        for (int i = start; i < colon; i++) {
            if (bytes[i] < 33 || bytes[i] > 126) {
                return false;
            }
        }
        return true;
    }

    /**
     * The value after the colon, unfolded (RFC 5322 §2.2.3: a CRLF, or a bare LF, before WSP is removed, as is
     * the line end closing the field) and decoded as UTF-8 (RFC 6532); empty when there is no colon.
     */
    public String value() {
        String v = value;
        if (v == null) {
            v = colon < 0 ? "" : unfold(bytes, colon + 1, end);
            value = v;
        }
        return v;
    }

    /** The offset in the message of the field's first octet. */
    public int start() {
        return start;
    }

    /** The offset in the message just past the line end closing the field (or the end of the octets). */
    public int end() {
        return end;
    }

    /** How many raw octets the field has: name to last value octet, inner folds included, closing line end not. */
    public int length() {
        return contentEnd - start;
    }

    /** The raw octet at {@code i}, counted from the field's first octet. */
    public byte at(int i) {
        return bytes[start + i];
    }

    /** Where the first colon is, counted from the field's first octet; -1 when there is none. */
    public int colonIndex() {
        return colon < 0 ? -1 : colon - start;
    }

    /** A copy of the raw octets. */
    public byte[] raw() {
        return Arrays.copyOfRange(bytes, start, contentEnd);
    }

    /** Writes the raw octets, without copying them first. */
    public void writeRawTo(ByteArrayOutputStream out) {
        out.write(bytes, start, contentEnd - start);
    }

    /** Same octets at the same offset. */
    @Override
    public boolean equals(Object o) {
        return o instanceof HeaderField f && f.start == start && f.contentEnd - f.start == contentEnd - start
                && f.end - f.start == end - start
                && Arrays.equals(f.bytes, f.start, f.end, bytes, start, end);
    }

    @Override
    public int hashCode() {
        int h = start;
        for (int i = start; i < end; i++) {
            h = h * 31 + bytes[i];
        }
        return h;
    }

    /** The raw octets as text, one char per octet (ISO-8859-1). */
    @Override
    public String toString() {
        return new String(bytes, start, contentEnd - start, StandardCharsets.ISO_8859_1);
    }

    private static String nameOf(byte[] bytes, int start, int colon) {
        if (colon < 0) {
            return "";
        }
        int nameEnd = colon;
        while (nameEnd > start && HeaderBlock.isWsp(bytes[nameEnd - 1])) {
            nameEnd--; // obsolete syntax allows WSP before the colon (RFC 5322 §4.5.3)
        }
        return new String(bytes, start, nameEnd - start, StandardCharsets.ISO_8859_1);
    }

    static int indexOf(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == ':') {
                return i;
            }
        }
        return -1;
    }

    /** Unfolds into one array and decodes it once: one string per value, no copies in between. */
    private static String unfold(byte[] m, int from, int to) {
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = m[i];
            if (b == '\r' && i + 2 < to && m[i + 1] == '\n' && HeaderBlock.isWsp(m[i + 2])) {
                i++; // CRLF before white space: the white space stays
            } else if (!(b == '\n' && i + 1 < to && HeaderBlock.isWsp(m[i + 1]))) {
                out[n++] = b;
            }
        }
        if (n > 0 && out[n - 1] == '\n') {
            n -= n > 1 && out[n - 2] == '\r' ? 2 : 1; // the line end of the last line
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
