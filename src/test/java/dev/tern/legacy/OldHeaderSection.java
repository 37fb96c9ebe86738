package dev.tern.legacy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** The header section of a stored message: everything up to and including the empty line (RFC 5322 §2.1). */
public final class OldHeaderSection {

    private OldHeaderSection() {
    }

    /**
     * Reads the headers, at most {@code max} bytes (a message without a body is all headers; a huge header
     * section is cut at a line end). The result ends with CRLF CRLF.
     */
    public static byte[] read(InputStream content0, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (InputStream in = content0) {
            int previous = -1;
            boolean lineStart = true;
            int b;
            while (out.size() < max && (b = in.read()) >= 0) {
                if (lineStart && (b == '\r' || b == '\n')) {
                    break; // the empty line: end of the header section
                }
                out.write(b);
                lineStart = b == '\n';
                previous = b;
            }
            if (previous != '\n' && out.size() > 0) {
                cutAtLineEnd(out);
            }
        }
        out.write(new byte[] {'\r', '\n'});
        return out.toByteArray();
    }

    private static void cutAtLineEnd(ByteArrayOutputStream out) {
        byte[] data = out.toByteArray();
        int end = data.length;
        while (end > 0 && data[end - 1] != '\n') {
            end--;
        }
        out.reset();
        out.write(data, 0, end);
    }
}
