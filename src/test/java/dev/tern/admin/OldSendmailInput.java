package dev.tern.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A message as a local program gives it to {@code sendmail} on standard input: lines ended by LF (or CRLF),
 * the header section, then the body. Without {@code -i} a line holding a single {@code .} ends the input,
 * as sendmail does; with it, such a line is content.
 */
final class OldSendmailInput {

    /** One header field: its name and its raw lines (the first, then continuation lines). */
    record Field(String name, List<byte[]> lines) {

        boolean is(String other) {
            return name.equalsIgnoreCase(other);
        }

        /** The unfolded value after the colon, as UTF-8 (RFC 6532 allows UTF-8 in header values). */
        String value() {
            StringBuilder out = new StringBuilder();
            for (byte[] line : lines) {
                out.append(new String(line, StandardCharsets.UTF_8));
            }
            return out.substring(out.indexOf(":") + 1).strip();
        }
    }

    private final List<Field> headers;
    private final List<byte[]> body;

    private OldSendmailInput(List<Field> headers, List<byte[]> body) {
        this.headers = headers;
        this.body = body;
    }

    List<Field> headers() {
        return headers;
    }

    List<byte[]> body() {
        return body;
    }

    boolean has(String name) {
        return headers.stream().anyMatch(f -> f.is(name));
    }

    /**
     * Reads standard input.
     *
     * @param dotEnds whether a line with a single dot ends the message (no {@code -i})
     * @param max     the largest message accepted, in bytes
     */
    static OldSendmailInput read(InputStream in, boolean dotEnds, long max) throws IOException, UserError {
        List<byte[]> lines = lines(in, dotEnds, max);
        List<Field> headers = new ArrayList<>();
        int i = 0;
        if (!lines.isEmpty() && startsWith(lines.get(0), "From ")) {
            i++; // an mbox "From " line is not a header (sendmail and Postfix drop it too)
        }
        for (; i < lines.size(); i++) {
            byte[] line = lines.get(i);
            if (line.length > 0 && (line[0] == ' ' || line[0] == '\t') && !headers.isEmpty()) {
                headers.get(headers.size() - 1).lines().add(line);
            } else if (fieldName(line) != null) {
                List<byte[]> raw = new ArrayList<>();
                raw.add(line);
                headers.add(new Field(fieldName(line), raw));
            } else {
                if (line.length == 0) {
                    i++; // the empty line between header and body
                }
                break; // anything else starts the body
            }
        }
        return new OldSendmailInput(headers, lines.subList(i, lines.size()));
    }

    private static List<byte[]> lines(InputStream in, boolean dotEnds, long max) throws IOException, UserError {
        List<byte[]> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        long total = 0;
        int b;
        while ((b = in.read()) != -1) {
            if (++total > max) {
                throw new UserError("message larger than the limit of " + max + " bytes");
            }
            if (b != '\n') {
                line.write(b);
                continue;
            }
            byte[] l = withoutCr(line.toByteArray());
            line.reset();
            if (dotEnds && l.length == 1 && l[0] == '.') {
                return lines;
            }
            lines.add(l);
        }
        if (line.size() > 0) {
            byte[] l = withoutCr(line.toByteArray());
            if (!(dotEnds && l.length == 1 && l[0] == '.')) {
                lines.add(l); // a last line without LF
            }
        }
        return lines;
    }

    private static byte[] withoutCr(byte[] line) {
        return line.length > 0 && line[line.length - 1] == '\r'
                ? java.util.Arrays.copyOf(line, line.length - 1) : line;
    }

    /** RFC 5322 §3.6.8: a field name is printable ASCII except the colon, then a colon. */
    private static String fieldName(byte[] line) {
        for (int i = 0; i < line.length; i++) {
            byte c = line[i];
            if (c == ':') {
                return i == 0 ? null : new String(line, 0, i, StandardCharsets.US_ASCII);
            }
            if (c < 33 || c > 126) {
                return null;
            }
        }
        return null;
    }

    private static boolean startsWith(byte[] line, String prefix) {
        return new String(line, 0, Math.min(line.length, prefix.length()), StandardCharsets.ISO_8859_1)
                .equals(prefix);
    }
}
