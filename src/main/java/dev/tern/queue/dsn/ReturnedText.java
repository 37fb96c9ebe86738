package dev.tern.queue.dsn;

import java.io.ByteArrayOutputStream;

/**
 * The original message (or its headers) made safe to return inside a notice: strict CRLF lines, so the notice
 * carries no bare CR or bare LF (RFC 5321 §2.3.8) that a lax receiver could take for a line end, and with it for
 * an end of data that smuggles the rest as a second message (SMTP smuggling). The spool holds what was accepted;
 * a bare line ending can still be there (a message queued by a local program, or accepted under the
 * {@code bare_line_endings = "normalize"} leniency of an older configuration), and a bounce quotes it to
 * another server.
 *
 * <p>In the header section a bare CR or LF becomes CRLF SP, a fold (RFC 5322 §2.2.3): the field goes on, no new
 * field, no empty line and no line starting with "." can be made out of it. In the body each becomes CRLF.
 */
final class ReturnedText {

    private ReturnedText() {
    }

    /** {@code raw} with its line ends made strict; the header section ends at its first empty line. */
    static byte[] normalize(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 64);
        boolean inHeader = true;
        boolean lineStart = true;
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            boolean crlf = b == '\r' && i + 1 < raw.length && raw[i + 1] == '\n';
            if (crlf) {
                i++;
                inHeader &= !lineStart; // an empty line: the body follows
                lineStart = true;
                out.write('\r');
                out.write('\n');
            } else if (b == '\r' || b == '\n') {
                out.write('\r');
                out.write('\n');
                if (inHeader && !lineStart) {
                    out.write(' '); // a fold: the field goes on
                } else {
                    inHeader = false; // in the body, or an empty line (where the stored header ends too)
                    lineStart = true;
                }
            } else {
                out.write(b);
                lineStart = false;
            }
        }
        return out.toByteArray();
    }
}
