package dev.tern.legacy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One field of a message's header block (RFC 5322 §2.2), with where it lies in the bytes so that a caller can
 * cut it out.
 *
 * @param name  the field name as written
 * @param value the unfolded value after the colon (RFC 5322 §2.2.3: CRLF before white space removed), decoded
 *              as UTF-8 (RFC 6532)
 * @param start the offset of the field's first octet
 * @param end   the offset just past the field's final line ending
 */
public record OldDmarcField(String name, String value, int start, int end) {

    public boolean named(String other) {
        return name.equalsIgnoreCase(other);
    }

    /**
     * The fields of the header block at the start of {@code message}, up to the empty line that ends it (or the
     * end of the bytes). Lines end in CRLF; a bare LF is accepted too. A line that is neither a field nor a
     * continuation is skipped.
     */
    public static List<OldDmarcField> parse(byte[] message) {
        return parse(message, message.length);
    }

    /** The same for the first {@code length} octets of {@code message}, which is not copied. */
    public static List<OldDmarcField> parse(byte[] message, int length) {
        List<OldDmarcField> fields = new ArrayList<>();
        Unfolder unfolder = new Unfolder();
        int pos = 0;
        int fieldStart = -1;
        while (pos < length) {
            int lineEnd = lineEnd(message, pos, length);
            int contentEnd = contentEnd(message, pos, lineEnd);
            if (contentEnd == pos) {
                break; // the empty line between header and body
            }
            boolean continuation = message[pos] == ' ' || message[pos] == '\t';
            if (!continuation) {
                if (fieldStart >= 0) {
                    add(fields, message, fieldStart, pos, unfolder);
                }
                fieldStart = indexOf(message, (byte) ':', pos, contentEnd) > pos ? pos : -1;
            }
            pos = lineEnd;
        }
        if (fieldStart >= 0) {
            add(fields, message, fieldStart, pos, unfolder);
        }
        return fields;
    }

    private static void add(List<OldDmarcField> fields, byte[] message, int start, int end, Unfolder unfolder) {
        int colon = indexOf(message, (byte) ':', start, end);
        String name = new String(message, start, colon - start, StandardCharsets.UTF_8).strip();
        fields.add(new OldDmarcField(name, unfolder.value(message, colon + 1, end), start, end));
    }

    /**
     * Unfolds a value (RFC 5322 §2.2.3: a CRLF, or a bare LF, before white space is removed, as is the line end
     * after the last line) into one scratch buffer reused for every field, then decodes it once: a header of many
     * fields costs one string per value and no copies in between.
     */
    private static final class Unfolder {
        private byte[] scratch = new byte[256];

        String value(byte[] m, int from, int to) {
            if (scratch.length < to - from) {
                scratch = new byte[Math.max(to - from, scratch.length * 2)];
            }
            int n = 0;
            for (int i = from; i < to; i++) {
                byte b = m[i];
                if (b == '\r' && i + 2 < to && m[i + 1] == '\n' && isWsp(m[i + 2])) {
                    i++; // CRLF before white space: the white space stays
                } else if (!(b == '\n' && i + 1 < to && isWsp(m[i + 1]))) {
                    scratch[n++] = b;
                }
            }
            if (n > 0 && scratch[n - 1] == '\n') {
                n -= n > 1 && scratch[n - 2] == '\r' ? 2 : 1; // the line end of the last line
            }
            return new String(scratch, 0, n, StandardCharsets.UTF_8);
        }

        private static boolean isWsp(byte b) {
            return b == ' ' || b == '\t';
        }
    }

    /** The offset just past the LF ending the line at {@code pos}, or {@code length}. */
    private static int lineEnd(byte[] message, int pos, int length) {
        int lf = indexOf(message, (byte) '\n', pos, length);
        return lf < 0 ? length : lf + 1;
    }

    /** The offset of the line's CRLF (or LF), that is the end of its content. */
    private static int contentEnd(byte[] message, int pos, int lineEnd) {
        int end = lineEnd;
        if (end > pos && message[end - 1] == '\n') {
            end--;
            if (end > pos && message[end - 1] == '\r') {
                end--;
            }
        }
        return end;
    }

    private static int indexOf(byte[] bytes, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
