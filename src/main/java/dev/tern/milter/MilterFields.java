package dev.tern.milter;

import dev.tern.mail.header.HeaderBlock;
import dev.tern.mail.header.HeaderField;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Header fields as the milter protocol carries them (Postfix's milter8): a field's name and value for
 * SMFIC_HEADER, and a field made from a milter's name and value for SMFIR_ADDHEADER/CHGHEADER/INSHEADER. The
 * fields themselves are read by {@link dev.tern.mail.header.HeaderBlock}, the one header reader.
 */
final class MilterFields {

    private MilterFields() {
    }

    /**
     * The fields of {@code header}, each with its folds and its closing CRLF as stored: what a milter is shown
     * and what its changes are applied to.
     */
    static List<byte[]> of(HeaderBlock header) {
        List<byte[]> out = new ArrayList<>(header.fields().size());
        for (HeaderField field : header.fields()) {
            out.add(header.copyOfRange(field.start(), field.end()));
        }
        return out;
    }

    /** Whether an empty line ended the header (a message may be all header): octets follow the last field. */
    static boolean separated(HeaderBlock header) {
        List<HeaderField> fields = header.fields();
        int lastEnd = fields.isEmpty() ? 0 : fields.get(fields.size() - 1).end();
        return header.length() > lastEnd;
    }

    /** The field's name (before the colon), or the whole first line when it has no colon. */
    static String name(byte[] field) {
        String text = new String(field, StandardCharsets.UTF_8);
        int colon = text.indexOf(':');
        return (colon < 0 ? text.strip() : text.substring(0, colon)).strip();
    }

    /**
     * The value as a milter is given it (Postfix's milter8): after the colon, without the final CRLF, folds as
     * LF alone; leading white space removed unless the milter asked for it (SMFIP_HDR_LEADSPC).
     */
    static String value(byte[] field, boolean leadingSpace) {
        String text = new String(field, StandardCharsets.UTF_8);
        int colon = text.indexOf(':');
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.endsWith("\r\n")) {
            value = value.substring(0, value.length() - 2);
        } else if (value.endsWith("\n")) {
            value = value.substring(0, value.length() - 1);
        }
        value = value.replace("\r\n", "\n");
        return leadingSpace ? value : value.stripLeading();
    }

    /**
     * A field from a milter's name and value: {@code Name: value} (or {@code Name:value} when the milter gives
     * its own leading space), folds made CRLF and continuation lines starting with white space.
     *
     * @throws MilterException for a name that is not a field name (RFC 5322 §2.2: printable ASCII, no colon)
     */
    static byte[] field(String name, String value, boolean leadingSpace) throws MilterException {
        if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':')) {
            throw new MilterException("sent a bad header field name \"" + name.replaceAll("[^ -~]", "?") + "\"");
        }
        String[] lines = value.replace("\r\n", "\n").split("\n", -1);
        StringBuilder out = new StringBuilder(name).append(':');
        if (!leadingSpace && !lines[0].isEmpty()) {
            out.append(' ');
        }
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.indexOf('\r') >= 0 || line.indexOf('\0') >= 0) {
                throw new MilterException("sent a header value with a bare CR or a NUL");
            }
            if (i > 0) {
                out.append("\r\n");
                if (line.isEmpty() || (line.charAt(0) != ' ' && line.charAt(0) != '\t')) {
                    out.append('\t'); // a fold must start with white space, or it would begin a new field
                }
            }
            out.append(line);
        }
        return out.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }
}
