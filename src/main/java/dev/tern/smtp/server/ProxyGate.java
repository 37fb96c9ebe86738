package dev.tern.smtp.server;

import dev.tern.config.ListenerSettings;
import dev.tern.observe.MailLog;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The door of a listener behind a load balancer: a connection must come from one of the configured proxy
 * networks and begin with a PROXY header, whose client then stands for the connection everywhere (connection
 * limits, rules, relay rights, SPF, {@code Received:}). Anything else is closed: a connection from elsewhere
 * could name any client, and a proxy that sends no header is misconfigured, not a client to talk to.
 */
final class ProxyGate {

    private final ListenerSettings.Proxy proxy;

    ProxyGate(ListenerSettings.Proxy proxy) {
        this.proxy = proxy;
    }

    /**
     * The client the connection is for: the header's source, or the peer itself for a header that names none
     * (a proxy's health check).
     *
     * @throws IOException when the peer may not send a header, or its header is missing, malformed or late;
     *                     the mail log says which, and the caller closes the socket
     */
    InetAddress client(Socket socket) throws IOException {
        InetAddress peer = socket.getInetAddress();
        if (!proxy.trusts(peer)) {
            refused(peer, "not in proxy_networks");
            throw new IOException("connection from " + peer.getHostAddress() + " outside proxy_networks");
        }
        int before = socket.getSoTimeout();
        long deadline = System.nanoTime() + proxy.timeout().toNanos();
        try {
            ProxyHeader header = ProxyHeader.read(new Deadline(socket, deadline));
            return header.source() == null ? peer : header.source().getAddress();
        } catch (SocketTimeoutException e) {
            refused(peer, "no PROXY header within " + proxy.timeout().toMillis() + "ms");
            throw e;
        } catch (IOException e) {
            refused(peer, e.getMessage());
            throw e;
        } finally {
            socket.setSoTimeout(before);
        }
    }

    private static void refused(InetAddress peer, String why) {
        MailLog.event(null, "proxy-refused").with("proxy", peer.getHostAddress())
                .with("reason", why).log();
    }

    /** Bounds the whole header, not each read: a proxy dribbling one octet at a time still ends at the deadline. */
    private static final class Deadline extends FilterInputStream {
        private final Socket socket;
        private final long deadline;

        Deadline(Socket socket, long deadline) throws IOException {
            super(socket.getInputStream());
            this.socket = socket;
            this.deadline = deadline;
        }

        private void bound() throws IOException {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("PROXY header deadline passed");
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        }

        @Override
        public int read() throws IOException {
            bound();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            bound();
            return super.read(b, off, len);
        }
    }
}
