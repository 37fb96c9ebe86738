package dev.tern.legacy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the header block of a message (RFC 5322 §2.2) from octets whose lines end in CRLF, and leaves the stream
 * at the first octet of the body, so the body can be streamed after it.
 *
 * <p>A line starting with SP or HTAB continues the field above (folding, §2.2.3). The block ends at the first
 * empty line, which belongs to neither header nor body (RFC 6376 §3.4.3), or at the end of the input. A CR not
 * followed by LF is an ordinary octet. A line without a colon becomes a field with an empty name, which no
 * signature can name.
 */
public final class OldDkimBlock {

    private static final int CR = '\r';
    private static final int LF = '\n';

    private OldDkimBlock() {
    }

    /** The fields from the top of {@code in}; read it through a buffered stream, one octet at a time is read. */
    public static List<OldDkimField> read(InputStream in) throws IOException {
        List<OldDkimField> fields = new ArrayList<>();
        ByteArrayOutputStream field = null;
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            line.reset();
            int end = readLine(in, line);
            if (end == -1 && line.size() == 0) {
                break;
            }
            if (end == LF && line.size() == 0) {
                break; // the empty line between header and body
            }
            byte[] bytes = line.toByteArray();
            if (field != null && isWsp(bytes[0])) {
                field.write(CR);
                field.write(LF);
                field.write(bytes, 0, bytes.length);
            } else {
                add(fields, field);
                field = new ByteArrayOutputStream(bytes.length + 64);
                field.write(bytes, 0, bytes.length);
            }
            if (end == -1) {
                break;
            }
        }
        add(fields, field);
        return fields;
    }

    /**
     * The fields of a header block already in memory: the first {@code length} octets of {@code header}, read as
     * {@link #read} would read them, each field copied out once (a caller that holds the header block does not
     * stream it through again).
     */
    public static List<OldDkimField> fields(byte[] header, int length) {
        List<OldDkimField> fields = new ArrayList<>();
        int pos = 0;
        int fieldStart = -1;
        int fieldEnd = -1;
        while (pos < length) {
            int crlf = indexOfCrlf(header, pos, length);
            if (crlf == pos) {
                break; // the empty line between header and body
            }
            if (fieldStart < 0 || !isWsp(header[pos])) {
                addRange(fields, header, fieldStart, fieldEnd);
                fieldStart = pos;
            }
            fieldEnd = crlf < 0 ? length : crlf;
            if (crlf < 0) {
                break;
            }
            pos = crlf + 2;
        }
        addRange(fields, header, fieldStart, fieldEnd);
        return fields;
    }

    private static void addRange(List<OldDkimField> fields, byte[] header, int start, int end) {
        if (start >= 0) {
            byte[] raw = java.util.Arrays.copyOfRange(header, start, end);
            fields.add(new OldDkimField(nameOf(raw, raw.length), raw));
        }
    }

    /** The offset of the CR of the first CRLF at or after {@code from}, or -1. */
    private static int indexOfCrlf(byte[] bytes, int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (bytes[i] == CR && bytes[i + 1] == LF) {
                return i;
            }
        }
        return -1;
    }

    /** Parses a whole header block given as text (ISO-8859-1), for tests and tools. */
    public static List<OldDkimField> parse(String header) {
        try {
            return read(new java.io.ByteArrayInputStream(header.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void add(List<OldDkimField> fields, ByteArrayOutputStream field) {
        if (field != null) {
            byte[] raw = field.toByteArray();
            fields.add(new OldDkimField(nameOf(raw, raw.length), raw));
        }
    }

    /** Reads up to CRLF (not stored); returns LF when the line ended with CRLF, -1 at the end of input. */
    private static int readLine(InputStream in, ByteArrayOutputStream line) throws IOException {
        boolean cr = false;
        while (true) {
            int b = in.read();
            if (b == -1) {
                if (cr) {
                    line.write(CR);
                }
                return -1;
            }
            if (cr && b == LF) {
                return LF;
            }
            if (cr) {
                line.write(CR);
            }
            cr = b == CR;
            if (!cr) {
                line.write(b);
            }
        }
    }

    static String nameOf(byte[] raw, int length) {
        for (int i = 0; i < length; i++) {
            if (raw[i] == ':') {
                int end = i;
                while (end > 0 && isWsp(raw[end - 1])) {
                    end--; // obsolete syntax allows WSP before the colon (RFC 5322 §4.5)
                }
                return new String(raw, 0, end, StandardCharsets.ISO_8859_1);
            }
        }
        return "";
    }

    static boolean isWsp(int b) {
        return b == ' ' || b == '\t';
    }
}
