package dev.tern.dane;

import java.io.IOException;
import java.net.InetAddress;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A TLS server on a loopback port that presents one certificate chain and completes handshakes, and a client
 * handshake through a given trust manager: the JSSE path a DANE session takes, without SMTP around it.
 */
final class HandshakeServer implements AutoCloseable {

    private final SSLServerSocket socket;
    private final Thread acceptor;

    HandshakeServer(PrivateKey key, X509Certificate... chain) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, new char[0], chain);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 5,
                InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(this::serve);
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (SSLSocket client = (SSLSocket) socket.accept()) {
                client.startHandshake();
                client.getOutputStream().write('.');
                client.getOutputStream().flush();
                client.getInputStream().read(); // until the client closes
            } catch (IOException e) {
                // a refused handshake, or closing
            }
        }
    }

    /** Connects with {@code trust} as the client's only trust manager and completes a handshake. */
    void handshake(TrustManager trust) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, null);
        SSLSocketFactory factory = context.getSocketFactory();
        try (SSLSocket client = (SSLSocket) factory.createSocket(InetAddress.getLoopbackAddress(),
                socket.getLocalPort())) {
            client.startHandshake();
            if (client.getInputStream().read() != '.') {
                throw new IOException("the server closed the session");
            }
        }
    }

    @Override
    public void close() throws Exception {
        socket.close();
        acceptor.join();
    }
}
