package dev.tern.legacy;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The header block of a message as octets (RFC 5322 §2.1): everything up to and including the empty line that
 * ends it, or the whole input when there is none. The stream is left at the first octet of the body, so the
 * caller can go on reading it: one pass over the message serves DMARC (the header) and DKIM (all of it).
 *
 * <p>The octets are the first {@code length} of {@code buffer}, which may be longer: the parsers read them in
 * place, so the header is not copied once more to trim it. Its size is bounded before it gets here
 * ({@code [limits] max_header_size}, enforced as the message arrives).
 *
 * @param buffer the octets, and perhaps unused room after them
 * @param length how many octets of {@code buffer} are the header block
 */
public record OldHeaderBytes(byte[] buffer, int length) {

    private static final int CHUNK = 64 * 1024;

    /**
     * Reads the header block from {@code in}, which should be buffered (it is read one octet at a time). A large
     * header is gathered in chunks and joined once, which allocates twice its size rather than the four times
     * of an array that doubles as it grows.
     */
    public static OldHeaderBytes read(InputStream in) throws IOException {
        List<byte[]> full = new ArrayList<>();
        byte[] out = new byte[CHUNK];
        int length = 0;
        int state = 0; // how much of CRLF CRLF was just seen; the message may also start with its empty line
        boolean lineStart = true;
        for (int b; (b = in.read()) != -1; ) {
            if (length == out.length) {
                full.add(out);
                out = new byte[CHUNK];
                length = 0;
            }
            out[length++] = (byte) b;
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
        return join(full, out, length);
    }

    private static OldHeaderBytes join(List<byte[]> full, byte[] last, int lastLength) {
        if (full.isEmpty()) {
            return new OldHeaderBytes(last, lastLength);
        }
        byte[] all = new byte[full.size() * CHUNK + lastLength];
        for (int i = 0; i < full.size(); i++) {
            System.arraycopy(full.get(i), 0, all, i * CHUNK, CHUNK);
        }
        System.arraycopy(last, 0, all, full.size() * CHUNK, lastLength);
        return new OldHeaderBytes(all, all.length);
    }

    /** The octets alone, for tests. */
    public byte[] toArray() {
        return Arrays.copyOf(buffer, length);
    }
}
