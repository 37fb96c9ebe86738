package dev.tern.smtp.server;

import dev.tern.tls.TlsSession;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Duration;

/**
 * The connection under a session: a socket in production, in-memory streams in session tests.
 */
public interface Transport extends Closeable {

    /** The stream to read from; after {@link #startTls()} it is the decrypted stream. */
    InputStream input() throws IOException;

    /** The stream to write to; after {@link #startTls()} it is the encrypting stream. */
    OutputStream output() throws IOException;

    /** The client's IP address as text (no brackets), for logs and {@code Received:}. */
    String clientAddress();

    /** The client's IP address without an IPv6 zone (networks in settings and rules have none), for comparisons. */
    InetAddress clientInetAddress();

    /** Whether the client connected over loopback (for settings that trust only the local machine). */
    default boolean isLoopback() {
        return clientAddress().equals("127.0.0.1") || clientAddress().equals("0:0:0:0:0:0:0:1");
    }

    /** Bounds the next blocking reads; a read that waits longer throws {@link java.net.SocketTimeoutException}. */
    void setReadTimeout(Duration timeout) throws IOException;

    /** Whether STARTTLS can be offered on this connection (a certificate is configured and TLS is not active). */
    default boolean canStartTls() {
        return false;
    }

    /**
     * Performs the server side of the TLS handshake on the connection (RFC 3207). The caller has already
     * dropped whatever it read before, and takes fresh streams afterwards.
     *
     * @throws IOException when the handshake fails; the connection is then unusable
     */
    default void startTls() throws IOException {
        throw new IOException("TLS is not available on this connection");
    }

    /** The TLS session in use, or null on a plain connection. */
    default TlsSession tls() {
        return null;
    }
}
