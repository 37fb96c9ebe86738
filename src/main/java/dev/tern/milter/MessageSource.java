package dev.tern.milter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The message being received, as the milters read it at its end and as their changes rewrite it. */
public interface MessageSource {

    /** The message as it stands: header, empty line, body, with CRLF line ends. */
    InputStream open() throws IOException;

    /** Replaces the message with what {@code rewriter} writes from the current one. */
    void rewrite(Rewriter rewriter) throws IOException;

    /**
     * Puts header fields (each ending in CRLF) above the message, as {@link #rewrite} would with them written
     * first. A source that can keep them beside the content (the spool's draft) does so without copying the
     * message: the common change, a trace or result field at the top (opendkim's Authentication-Results),
     * then costs no new file.
     */
    default void prepend(byte[] fields) throws IOException {
        rewrite((current, out) -> {
            out.write(fields);
            current.transferTo(out);
        });
    }

    @FunctionalInterface
    interface Rewriter {
        void rewrite(InputStream current, OutputStream replacement) throws IOException;
    }
}
