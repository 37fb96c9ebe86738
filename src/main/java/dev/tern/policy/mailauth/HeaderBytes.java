package dev.tern.policy.mailauth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The header block of a message as octets (RFC 5322 §2.1): everything up to and including the empty line that
 * ends it, or the whole input when there is none. The stream is left at the first octet of the body, so the
 * caller can go on reading it: one pass over the message serves DMARC (the header) and DKIM (all of it).
 */
final class HeaderBytes {

    private HeaderBytes() {
    }

    /** Reads the header block from {@code in}, which should be buffered (it is read one octet at a time). */
    static byte[] read(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        int state = 0; // how much of CRLF CRLF was just seen; the message may also start with its empty line
        boolean lineStart = true;
        for (int b; (b = in.read()) != -1; ) {
            out.write(b);
            if (b == '\r') {
                state = lineStart ? 3 : 1;
            } else if (b == '\n' && (state == 1 || state == 3)) {
                if (state == 3) {
                    break; // an empty line: the header ends here
                }
                lineStart = true;
                state = 0;
                continue;
            } else {
                state = 0;
            }
            lineStart = false;
        }
        return out.toByteArray();
    }
}
