package dev.tern.milter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The header fields at the top of a message (RFC 5322 §2.2), each with its folded lines and CRLFs as stored;
 * reading stops after the empty line, so the rest of the stream is the body. The session has already bounded
 * the header's size ({@code max_header_size}), so holding it is cheap.
 *
 * @param fields    the fields, each as its raw octets
 * @param separated whether an empty line ended the header (a message may be all header)
 */
record HeaderBlock(List<byte[]> fields, boolean separated) {

    /** Reads the header from {@code in}, which must be buffered; {@code in} is left at the first body octet. */
    static HeaderBlock read(InputStream in) throws IOException {
        List<byte[]> fields = new ArrayList<>();
        ByteArrayOutputStream field = null;
        while (true) {
            byte[] line = readLine(in);
            if (line == null) {
                break;
            }
            boolean empty = (line.length == 2 && line[0] == '\r' && line[1] == '\n') || (line.length == 1 && line[0] == '\n');
            if (empty) {
                if (field != null) {
                    fields.add(field.toByteArray());
                }
                return new HeaderBlock(fields, true);
            }
            if ((line[0] == ' ' || line[0] == '\t') && field != null) {
                field.writeBytes(line);
                continue;
            }
            if (field != null) {
                fields.add(field.toByteArray());
            }
            field = new ByteArrayOutputStream();
            field.writeBytes(line);
        }
        if (field != null) {
            fields.add(field.toByteArray());
        }
        return new HeaderBlock(fields, false);
    }

    /** One line with its line end, or null at the end of the stream. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(80);
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
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
