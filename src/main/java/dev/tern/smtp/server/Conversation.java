package dev.tern.smtp.server;

import dev.tern.smtp.protocol.Reply;
import dev.tern.smtp.protocol.SmtpInput;
import dev.tern.tls.TlsSession;
import java.io.IOException;
import java.net.InetAddress;

/**
 * The connection as the pieces of a {@link Session} see it: replies out, lines and chunks in, and what is known
 * of the peer. The session owns the streams (STARTTLS replaces them); the pieces ask for them each time.
 */
interface Conversation {

    /** Buffers a reply; it goes out at the next {@link #flush()}. */
    void send(Reply reply) throws IOException;

    void flush() throws IOException;

    /** The current input (a new one after STARTTLS). */
    SmtpInput in();

    /** The TLS session in use, or null on a plain connection. */
    TlsSession tls();

    /** The client's IP address as text, for logs and {@code Received:}. */
    String clientAddress();

    /** The client's IP address, for comparisons with networks and for SPF. */
    InetAddress clientInetAddress();

    /** Whether the client connected over loopback. */
    boolean isLoopback();
}
