package dev.tern.admin;

import dev.tern.mail.header.HeaderBlock;
import dev.tern.mail.header.HeaderField;
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
final class SendmailInput {

    private final HeaderBlock text;
    private final List<HeaderField> headers;
    private final int bodyStart;

    private SendmailInput(HeaderBlock text, List<HeaderField> headers, int bodyStart) {
        this.text = text;
        this.headers = headers;
        this.bodyStart = bodyStart;
    }

    /** The header fields; each one's lines end in CRLF ({@link #lines}). */
    List<HeaderField> headers() {
        return headers;
    }

    /** The octets of a field: its lines, each ended by CRLF. */
    byte[] lines(HeaderField field) {
        return text.copyOfRange(field.start(), field.end());
    }

    /** The body: its lines, each ended by CRLF. */
    byte[] body() {
        return text.copyOfRange(bodyStart, text.length());
    }

    boolean has(String name) {
        return headers.stream().anyMatch(f -> f.is(name));
    }

    /**
     * Reads standard input. The header is every field up to the empty line (which goes), or up to the first
     * line that is neither an RFC 5322 field ({@link HeaderField#hasStrictName()}) nor a continuation, which
     * starts the body.
     *
     * @param dotEnds whether a line with a single dot ends the message (no {@code -i})
     * @param max     the largest message accepted, in bytes
     */
    static SendmailInput read(InputStream in, boolean dotEnds, long max) throws IOException, UserError {
        List<byte[]> lines = lines(in, dotEnds, max);
        int first = !lines.isEmpty() && startsWith(lines.get(0), "From ") ? 1 : 0;
        // an mbox "From " line is not a header (sendmail and Postfix drop it too)
        ByteArrayOutputStream crlf = new ByteArrayOutputStream(4096);
        for (byte[] line : lines.subList(first, lines.size())) {
            crlf.write(line, 0, line.length); // a CR left at the end of a line stays content: one CR goes with LF
            crlf.write('\r');
            crlf.write('\n');
        }
        HeaderBlock text = HeaderBlock.parse(crlf.toByteArray(), HeaderBlock.LineEnds.LF);
        List<HeaderField> headers = new ArrayList<>();
        int bodyStart = text.bodyOffset();
        for (HeaderField field : text.fields()) {
            if (!field.hasStrictName()) {
                bodyStart = field.start(); // anything else starts the body
                break;
            }
            headers.add(field);
        }
        return new SendmailInput(text, List.copyOf(headers), bodyStart);
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

    private static boolean startsWith(byte[] line, String prefix) {
        return new String(line, 0, Math.min(line.length, prefix.length()), StandardCharsets.ISO_8859_1)
                .equals(prefix);
    }
}
