package dev.tern.delivery.smtp;

import dev.tern.dns.Target;
import dev.tern.smtp.protocol.Reply;
import dev.tern.smtp.protocol.ReplyReader;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One TCP connection to one address of a destination, with what the session learnt on it (the server's
 * extensions, TLS) and the concurrency permit it holds until it is closed.
 */
final class SmtpConnection implements AutoCloseable {

    private static final int BUFFER = 64 * 1024;
    /** Waiting for the reply to QUIT while closing an idle connection: no reason to wait long. */
    private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(2);

    private final Target target;
    private final int port;
    private final String destination;
    private final ConcurrencyLimits.Lease lease;
    /** The TCP socket; under TLS, the plain socket beneath {@link #socket}. Closed from other threads too. */
    private volatile Socket raw;
    private volatile Socket socket;
    private InputStream in;
    private OutputStream out;
    private ReplyReader replies;
    private Capabilities capabilities = Capabilities.none();
    private String tls = "none";
    /** The TLS this connection was opened under, for the log and for reuse; null until the opener says. */
    private HostTls openedUnder;
    private int transactions;
    private boolean usable = true;
    private long idleStamp;
    private volatile boolean closed;

    private SmtpConnection(Target target, int port, String destination, ConcurrencyLimits.Lease lease,
                           Socket socket) throws IOException {
        this.target = target;
        this.port = port;
        this.destination = destination;
        this.lease = lease;
        this.raw = socket;
        attach(socket);
    }

    /**
     * Connects within {@code timeout}. The lease is given back if the connection cannot be made, and
     * otherwise when it is closed.
     */
    static SmtpConnection open(Target target, int port, String destination, ConcurrencyLimits.Lease lease,
                               Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true); // commands are small and pipelined groups are written in one go
            socket.connect(new InetSocketAddress(target.address(), port), (int) Math.max(1, timeout.toMillis()));
            return new SmtpConnection(target, port, destination, lease, socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            lease.release();
            throw e;
        }
    }

    /**
     * Drops this socket and connects again to the same address, keeping the permit: Postfix's {@code may}
     * level retries a host in plaintext after a failed TLS handshake. On failure the caller closes.
     */
    void reconnect(Duration timeout) throws IOException {
        try {
            socket.close();
        } catch (IOException ignored) {
            // replaced below
        }
        Socket fresh = new Socket();
        try {
            fresh.setTcpNoDelay(true);
            fresh.connect(new InetSocketAddress(target.address(), port), (int) Math.max(1, timeout.toMillis()));
        } catch (IOException | RuntimeException e) {
            fresh.close();
            throw e;
        }
        raw = fresh;
        attach(fresh);
        tls = "none";
        capabilities = Capabilities.none();
    }

    private void attach(Socket s) throws IOException {
        this.socket = s;
        if (closed) { // closed by another thread (the attempt's watchdog) while this socket was being made
            s.close();
            raw.close();
            throw new IOException("connection closed");
        }
        this.in = new BufferedInputStream(s.getInputStream(), BUFFER);
        this.out = new BufferedOutputStream(s.getOutputStream(), BUFFER);
        this.replies = new ReplyReader(in);
    }

    Target target() {
        return target;
    }

    String destination() {
        return destination;
    }

    /** {@code host[ip]}, with {@code :port} when it is not 25: the form of Postfix's log. */
    String where() {
        return target.host() + "[" + target.address().getHostAddress() + "]" + (port == 25 ? "" : ":" + port);
    }

    Capabilities capabilities() {
        return capabilities;
    }

    void capabilities(Capabilities c) {
        this.capabilities = c;
    }

    /** {@code TLSv1.3:TLS_AES_128_GCM_SHA256}, or {@code none}. */
    String tls() {
        return tls;
    }

    boolean isTls() {
        return socket instanceof SSLSocket;
    }

    /** How many transactions this connection has carried (more than one: it was reused). */
    int transactions() {
        return transactions;
    }

    void countTransaction() {
        transactions++;
    }

    /** Whether the session is in a known state, so that another transaction may follow (after RSET). */
    boolean usable() {
        return usable && !closed;
    }

    /** The session's state is unclear (replies left unread, a refused chunk): close rather than reuse. */
    void unusable() {
        usable = false;
    }

    /** Starts a new idle period; returns its stamp. */
    long markIdle() {
        return ++idleStamp;
    }

    long idleStamp() {
        return idleStamp;
    }

    /** Queues one command line; {@link #flush} sends what is queued. */
    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Sends one command and waits for its reply. */
    Reply command(String line, Duration timeout) throws IOException {
        send(line);
        flush();
        return read(timeout);
    }

    Reply read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        return replies.read();
    }

    /** The raw stream for message data (buffered; the caller flushes). */
    OutputStream data() {
        return out;
    }

    /**
     * Replaces the plain stream by TLS after the server's 220 to STARTTLS. Nothing the server sent before
     * the handshake may be used after it (RFC 3207 §4.2); the buffered reader is dropped with the old streams.
     *
     * @return what a reporting-only certificate check found, or null
     */
    Exception startTls(ClientTls clientTls, HostTls policy, Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        ClientTls.Upgraded upgraded = clientTls.upgrade(socket, target.host(), policy);
        SSLSocket secure = upgraded.socket();
        attach(secure);
        SSLSession session = secure.getSession();
        tls = session.getProtocol() + ":" + session.getCipherSuite();
        capabilities = Capabilities.none();
        return upgraded.unverified();
    }

    /** The policy word this connection was opened under ({@code dane}, {@code mta-sts}, {@code may}, ...). */
    String policy() {
        return openedUnder == null ? "none" : openedUnder.policy();
    }

    /** The TLS this connection was opened under, or null before it was opened. */
    HostTls openedUnder() {
        return openedUnder;
    }

    void openedUnder(HostTls tls) {
        this.openedUnder = tls;
    }

    /** The local address of the connection, as TLS-RPT's {@code sending-mta-ip}. */
    String localAddress() {
        Socket s = raw;
        return s == null || s.getLocalAddress() == null ? null : s.getLocalAddress().getHostAddress();
    }

    /**
     * Says goodbye politely (RFC 5321 §4.1.1.10) and closes; never throws. A session in an unclear state
     * is just closed: its QUIT could be taken for message text.
     */
    void quit() {
        if (usable()) {
            try {
                command("QUIT", QUIT_TIMEOUT);
            } catch (IOException | RuntimeException ignored) {
                // the server may already be gone: closing is all that matters
            }
        }
        close();
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Closes the socket at once (also from another thread, to end a stalled read or write) and gives the permit
     * back. The plain socket goes first: closing TLS alone would try to send close_notify, which a server that
     * reads nothing could block.
     */
    @Override
    public void close() {
        closed = true;
        for (Socket s : new Socket[] {raw, socket}) {
            try {
                if (s != null) {
                    s.close();
                }
            } catch (IOException ignored) {
                // nothing more to do with a socket we are leaving
            }
        }
        lease.release();
    }
}
