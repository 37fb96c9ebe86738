package dev.tern.smtp.server;

import dev.tern.observe.Metrics;
import dev.tern.tls.ServerTls;
import dev.tern.tls.TlsSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/** A {@link Transport} over a TCP socket, which STARTTLS may turn into a TLS socket. */
final class SocketTransport implements Transport {

    private final ServerTls serverTls;
    /** The client: the socket's peer, or the one a PROXY header named. */
    private final InetAddress client;
    private Socket socket;
    private TlsSession tls;

    /**
     * @param serverTls the TLS context for STARTTLS, or null when no TLS is configured
     */
    SocketTransport(Socket socket, ServerTls serverTls) {
        this(socket, serverTls, socket.getInetAddress());
    }

    /** A connection for {@code client}, which a proxy at the socket's other end named (PROXY protocol). */
    SocketTransport(Socket socket, ServerTls serverTls, InetAddress client) {
        this.socket = socket;
        this.serverTls = serverTls;
        this.client = client;
    }

    /** Implicit TLS (RFC 8314 §3): the handshake before any SMTP. */
    static SocketTransport implicitTls(Socket socket, ServerTls serverTls, InetAddress client) throws IOException {
        SocketTransport transport = new SocketTransport(socket, serverTls, client);
        transport.startTls();
        return transport;
    }

    @Override
    public InputStream input() throws IOException {
        return socket.getInputStream();
    }

    @Override
    public OutputStream output() throws IOException {
        return socket.getOutputStream();
    }

    @Override
    public String clientAddress() {
        return client.getHostAddress();
    }

    @Override
    public InetAddress clientInetAddress() {
        InetAddress address = client;
        if (address instanceof Inet6Address v6 && (v6.getScopeId() != 0 || v6.getScopedInterface() != null)) {
            try {
                return InetAddress.getByAddress(v6.getAddress()); // the same address without its zone
            } catch (UnknownHostException e) {
                throw new IllegalStateException("a 16-byte address is always valid", e);
            }
        }
        return address;
    }

    @Override
    public boolean isLoopback() {
        return client.isLoopbackAddress();
    }

    @Override
    public void setReadTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
    }

    @Override
    public boolean canStartTls() {
        return serverTls != null && tls == null;
    }

    @Override
    public void startTls() throws IOException {
        if (!canStartTls()) {
            throw new IOException("TLS is not available or already active");
        }
        SSLSocket secured = serverTls.upgrade(socket);
        socket = secured;
        tls = TlsSession.describe(secured);
        Metrics.get().tls(tls.protocol());
    }

    @Override
    public TlsSession tls() {
        return tls;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
