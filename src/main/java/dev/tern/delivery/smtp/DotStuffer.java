package dev.tern.delivery.smtp;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The streaming form of {@link dev.tern.smtp.protocol.DotStuffing#stuff}, for messages too large to hold in
 * memory: a line starting with "." gets one more (RFC 5321 §4.5.2), and {@link #finish} writes the
 * terminator, adding a CRLF first if the message did not end with one. A line starts after an LF, as in
 * {@code DotStuffing}.
 */
final class DotStuffer extends FilterOutputStream {

    private boolean lineStart = true;

    DotStuffer(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (lineStart && b == '.') {
            out.write('.');
        }
        out.write(b);
        lineStart = b == '\n';
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (lineStart && b[i] == '.') {
                out.write(b, start, i - start);
                out.write('.');
                start = i;
            }
            lineStart = b[i] == '\n';
        }
        out.write(b, start, off + len - start);
    }

    /** Ends the message: CRLF if needed, then "." CRLF. Does not close the underlying stream. */
    void finish() throws IOException {
        if (!lineStart) {
            out.write(new byte[] {'\r', '\n'});
        }
        out.write(new byte[] {'.', '\r', '\n'});
        out.flush();
    }
}
