package dev.tern.smtp.protocol;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The sender's half of RFC 5321 §4.5.2, streaming, for messages too large to hold in memory: a line starting with
 * "." gets one more, and {@link #finish} writes the terminator, adding a CRLF first if the message did not end
 * with one. {@link MessageReader} undoes it. The one dot-stuffer of Tern: the SMTP client, the bench and the
 * tests all send through it.
 *
 * <p>What goes out is strict CRLF: a bare CR or a bare LF in the message becomes CRLF (RFC 5321 §2.3.8 forbids
 * them in text). A receiver with lax end-of-data parsing takes a bare CR or LF for a line end, so
 * {@code \r.\r\n} or {@code \n.\r\n} in a stored message would be a terminator to it and smuggle what follows as
 * a second message (SMTP smuggling, CVE-2023-51764); after normalising, every place any receiver could see as
 * a line start is one, and its dot is stuffed.
 */
public final class DotStuffer extends FilterOutputStream {

    private static final byte[] CRLF = {'\r', '\n'};

    private boolean lineStart = true;
    /** The last octet was a CR, already written: an LF follows it whatever comes next (its own, if it is one). */
    private boolean pendingCr;

    public DotStuffer(OutputStream out) {
        super(out);
    }

    /**
     * Returns the DATA form of {@code message}, terminator included: line ends normalised to CRLF, leading dots
     * doubled. A message that does not end with CRLF gets one, as the terminator needs it.
     */
    public static byte[] stuff(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + message.length / 64 + 5);
        DotStuffer stuffer = new DotStuffer(out);
        try {
            stuffer.write(message, 0, message.length);
            stuffer.finish();
        } catch (IOException e) {
            throw new IllegalStateException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /**
     * Writes runs of octets that need no change in one piece: a CRLF stays inside its run, and the underlying
     * stream is written to only where an LF must be added (after a bare CR), a bare LF becomes CRLF, or a leading
     * dot is doubled. A well-formed message of any size is then one write per call.
     */
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int start = off; // the run of octets not yet written that need no change
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (pendingCr) { // the CR went out in its run; what follows it decides on the LF
                pendingCr = false;
                lineStart = true;
                if (c == '\n') {
                    continue; // a CRLF, as it should be
                }
                out.write(b, start, i - start);
                out.write('\n'); // a bare CR: complete the CRLF
                start = i;
            }
            if (c == '\r') {
                pendingCr = true;
            } else if (c == '\n') { // a bare LF
                out.write(b, start, i - start);
                out.write(CRLF);
                start = i + 1;
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
        out.write(b, start, end - start);
    }

    /** Ends the message: CRLF if needed, then "." CRLF. Does not close the underlying stream. */
    public void finish() throws IOException {
        if (pendingCr) {
            out.write('\n'); // the message ended with a CR
        } else if (!lineStart) {
            out.write(CRLF);
        }
        out.write(new byte[] {'.', '\r', '\n'});
        out.flush();
        lineStart = true;
        pendingCr = false;
    }
}
