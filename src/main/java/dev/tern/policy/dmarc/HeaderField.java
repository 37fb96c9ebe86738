package dev.tern.policy.dmarc;

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
public record HeaderField(String name, String value, int start, int end) {

    public boolean named(String other) {
        return name.equalsIgnoreCase(other);
    }

    /**
     * The fields of the header block at the start of {@code message}, up to the empty line that ends it (or the
     * end of the bytes). Lines end in CRLF; a bare LF is accepted too. A line that is neither a field nor a
     * continuation is skipped.
     */
    public static List<HeaderField> parse(byte[] message) {
        List<HeaderField> fields = new ArrayList<>();
        int pos = 0;
        int fieldStart = -1;
        while (pos < message.length) {
            int lineEnd = lineEnd(message, pos);
            int contentEnd = contentEnd(message, pos, lineEnd);
            if (contentEnd == pos) {
                break; // the empty line between header and body
            }
            boolean continuation = message[pos] == ' ' || message[pos] == '\t';
            if (!continuation) {
                if (fieldStart >= 0) {
                    add(fields, message, fieldStart, pos);
                }
                fieldStart = indexOf(message, (byte) ':', pos, contentEnd) > pos ? pos : -1;
            }
            pos = lineEnd;
        }
        if (fieldStart >= 0) {
            add(fields, message, fieldStart, pos);
        }
        return fields;
    }

    private static void add(List<HeaderField> fields, byte[] message, int start, int end) {
        int colon = indexOf(message, (byte) ':', start, end);
        String name = new String(message, start, colon - start, StandardCharsets.UTF_8).strip();
        String raw = new String(message, colon + 1, end - colon - 1, StandardCharsets.UTF_8);
        String value = raw.replaceAll("\r?\n(?=[ \t])", "").replaceAll("\r?\n\\z", "");
        fields.add(new HeaderField(name, value, start, end));
    }

    /** The offset just past the LF ending the line at {@code pos}, or the end of the bytes. */
    private static int lineEnd(byte[] message, int pos) {
        int lf = indexOf(message, (byte) '\n', pos, message.length);
        return lf < 0 ? message.length : lf + 1;
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
