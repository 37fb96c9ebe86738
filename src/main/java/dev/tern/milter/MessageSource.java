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

    @FunctionalInterface
    interface Rewriter {
        void rewrite(InputStream current, OutputStream replacement) throws IOException;
    }
}
