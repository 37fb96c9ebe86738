package dev.tern.smtp.protocol;

import java.io.ByteArrayOutputStream;

/**
 * The sender's half of RFC 5321 §4.5.2: before sending a message with DATA, a line that starts with "." gets
 * one more "."; then the content ends with CRLF "." CRLF. {@link MessageReader} undoes it.
 */
public final class DotStuffing {

    private DotStuffing() {
    }

    /**
     * Returns the DATA form of {@code message} (lines ending in CRLF), terminator included. A message that
     * does not end with CRLF gets one, as the terminator needs it.
     */
    public static byte[] stuff(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + message.length / 64 + 5);
        boolean lineStart = true;
        for (byte b : message) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        out.writeBytes(new byte[] {'.', '\r', '\n'});
        return out.toByteArray();
    }
}
