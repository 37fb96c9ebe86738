package dev.tern.smtp.server;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * The connection under a session: a socket in production, in-memory streams in session tests.
 */
public interface Transport extends Closeable {

    InputStream input() throws IOException;

    OutputStream output() throws IOException;

    /** The client's IP address as text (no brackets). */
    String clientAddress();

    /** Bounds the next blocking reads; a read that waits longer throws {@link java.net.SocketTimeoutException}. */
    void setReadTimeout(Duration timeout) throws IOException;

    /** The TLS protocol and cipher in use (for logs and {@code Received:}), or null on a plain connection. */
    default String tlsDescription() {
        return null;
    }
}
