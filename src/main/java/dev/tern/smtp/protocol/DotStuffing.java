package dev.tern.smtp.protocol;

import java.io.ByteArrayOutputStream;

/**
 * The sender's half of RFC 5321 §4.5.2: before sending a message with DATA, a line that starts with "." gets
 * one more "."; then the content ends with CRLF "." CRLF. {@link MessageReader} undoes it.
 *
 * <p>The text sent is strict CRLF: a bare CR or bare LF becomes CRLF (RFC 5321 §2.3.8), so no receiver, however
 * lax its idea of a line end, finds a line start that was not stuffed (SMTP smuggling).
 */
public final class DotStuffing {

    private DotStuffing() {
    }

    /**
     * Returns the DATA form of {@code message}, terminator included: line ends normalised to CRLF, leading dots
     * doubled. A message that does not end with CRLF gets one, as the terminator needs it.
     */
    public static byte[] stuff(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + message.length / 64 + 5);
        boolean lineStart = true;
        boolean afterCr = false;
        for (byte b : message) {
            if (afterCr && b == '\n') {
                afterCr = false;
                continue; // the CRLF was written at its CR
            }
            afterCr = b == '\r';
            if (b == '\r' || b == '\n') {
                out.write('\r');
                out.write('\n');
                lineStart = true;
                continue;
            }
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = false;
        }
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        out.writeBytes(new byte[] {'.', '\r', '\n'});
        return out.toByteArray();
    }
}
