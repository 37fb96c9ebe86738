package dev.tern.delivery.smtp;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The streaming form of {@link dev.tern.smtp.protocol.DotStuffing#stuff}, for messages too large to hold in
 * memory: a line starting with "." gets one more (RFC 5321 §4.5.2), and {@link #finish} writes the
 * terminator, adding a CRLF first if the message did not end with one.
 *
 * <p>What goes out is strict CRLF: a bare CR or a bare LF in the message becomes CRLF (RFC 5321 §2.3.8 forbids
 * them in text). A receiver with lax end-of-data parsing takes a bare CR or LF for a line end, so
 * {@code \r.\r\n} or {@code \n.\r\n} in a stored message would be a terminator to it and smuggle what follows as
 * a second message (SMTP smuggling, CVE-2023-51764); after normalising, every place any receiver could see as
 * a line start is one, and its dot is stuffed.
 */
final class DotStuffer extends FilterOutputStream {

    private static final byte[] CRLF = {'\r', '\n'};

    private boolean lineStart = true;
    /** A CR was the last octet: CRLF whatever follows, but the LF of a CRLF is not a second line end. */
    private boolean pendingCr;

    DotStuffer(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int start = off; // the run of octets not yet written that need no change
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (pendingCr) {
                pendingCr = false;
                if (c == '\n') {
                    start = i + 1; // the CRLF was written when its CR came
                    continue;
                }
            }
            if (c == '\r' || c == '\n') {
                out.write(b, start, i - start);
                out.write(CRLF);
                start = i + 1;
                pendingCr = c == '\r';
                lineStart = true;
            } else {
                if (lineStart && c == '.') {
                    out.write(b, start, i - start);
                    out.write('.');
                    start = i;
                }
                lineStart = false;
            }
        }
        out.write(b, start, off + len - start);
    }

    /** Ends the message: CRLF if needed, then "." CRLF. Does not close the underlying stream. */
    void finish() throws IOException {
        if (!lineStart) {
            out.write(CRLF);
        }
        out.write(new byte[] {'.', '\r', '\n'});
        out.flush();
        lineStart = true;
        pendingCr = false;
    }
}
