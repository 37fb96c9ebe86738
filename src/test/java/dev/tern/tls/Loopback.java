package dev.tern.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * An implicit-TLS server on a loopback port made by {@link ServerTls#listen}: each connection is
 * handshaken, described, sent one byte and closed. Tests connect to it with a real client socket.
 */
final class Loopback implements AutoCloseable {

    /** What the client saw. */
    record ClientView(String protocol, String cipherSuite, X509Certificate peer) {
        String peerName() {
            return peer.getSubjectX500Principal().getName();
        }
    }

    private final SSLServerSocket server;
    private final LinkedBlockingQueue<Object> serverResults = new LinkedBlockingQueue<>();

    Loopback(ServerTls tls) throws IOException {
        server = tls.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        Thread.ofVirtual().start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    SSLServerSocket socket() {
        return server;
    }

    /** The server's {@link TlsSession} or exception for the next finished connection. */
    Object nextServerResult() throws InterruptedException {
        Object result = serverResults.poll(20, TimeUnit.SECONDS);
        if (result == null) {
            throw new AssertionError("the server reported nothing");
        }
        return result;
    }

    /** Connects with a fresh client context (so no session is resumed) and completes a handshake. */
    ClientView connect(TestPki pki, String sni, List<String> protocols, List<String> suites) throws Exception {
        SSLContext context = pki.clientContext();
        try (SSLSocket client = (SSLSocket) context.getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), port())) {
            client.setSoTimeout(20_000);
            configure(client, sni, protocols, suites);
            client.startHandshake();
            int marker = client.getInputStream().read();
            if (marker != 'x') {
                throw new AssertionError("expected the server's marker byte, got " + marker);
            }
            var session = client.getSession();
            return new ClientView(session.getProtocol(), session.getCipherSuite(),
                    (X509Certificate) session.getPeerCertificates()[0]);
        }
    }

    ClientView connect(TestPki pki, String sni) throws Exception {
        return connect(pki, sni, List.of(), List.of());
    }

    static void configure(SSLSocket client, String sni, List<String> protocols, List<String> suites) {
        SSLParameters parameters = client.getSSLParameters();
        parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        if (!protocols.isEmpty()) {
            parameters.setProtocols(protocols.toArray(String[]::new));
        }
        if (!suites.isEmpty()) {
            parameters.setCipherSuites(suites.toArray(String[]::new));
        }
        client.setSSLParameters(parameters);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket accepted = server.accept();
                Thread.ofVirtual().start(() -> serve((SSLSocket) accepted));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(SSLSocket socket) {
        try (socket) {
            socket.setSoTimeout(20_000);
            socket.startHandshake();
            serverResults.add(TlsSession.describe(socket));
            socket.getOutputStream().write('x');
            socket.getOutputStream().flush();
            socket.getInputStream().read(); // until the client closes
        } catch (IOException e) {
            serverResults.add(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
