package dev.tern.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server side of TLS for the SMTP listeners: one {@link SSLContext} and the policy applied to every
 * socket it makes. TLS 1.2 and 1.3 only (RFC 8996 retires 1.0 and 1.1), forward-secret AEAD suites,
 * the server's order of preference.
 */
public final class ServerTls {

    /** Protocols offered, best first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * Cipher suites in order of preference: the TLS 1.3 suites (RFC 8446 section 9.1), then ECDHE with
     * AES-GCM or ChaCha20-Poly1305 for TLS 1.2 (RFC 9325 section 4.2). Only those the JDK supports are
     * enabled.
     */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private final SSLContext context;
    private final SSLParameters parameters;

    private ServerTls(SSLContext context, SSLParameters parameters) {
        this.context = context;
        this.parameters = parameters;
    }

    /** A server context presenting the certificates of {@code keyManager} (usually a {@link SniKeyManager}). */
    public static ServerTls create(X509ExtendedKeyManager keyManager) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {keyManager}, null, null);
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(supported(PROTOCOLS, context.getSupportedSSLParameters().getProtocols()));
        parameters.setCipherSuites(supported(CIPHER_SUITES, context.getSupportedSSLParameters().getCipherSuites()));
        parameters.setUseCipherSuitesOrder(true);
        parameters.setNeedClientAuth(false);
        parameters.setWantClientAuth(false);
        return new ServerTls(context, parameters);
    }

    /** Shorthand: an {@link SniKeyManager} over {@code certificates}, the first being the default. */
    public static ServerTls create(List<ReloadingCertificate> certificates) throws GeneralSecurityException {
        return create(new SniKeyManager(certificates));
    }

    /**
     * Starts TLS in server mode over an already connected plain socket and completes the handshake:
     * STARTTLS after the {@code 220} reply (RFC 3207 section 4), or implicit TLS right after
     * {@code accept()} (RFC 8314 section 3.3). Nothing read before is handed to TLS (no "consumed"
     * stream): the caller must discard whatever it has buffered from the plain socket and start the
     * session over (RFC 3207 section 4.2). Closing the returned socket closes {@code plain}. The
     * handshake is bounded by the socket's {@code SO_TIMEOUT}, which the caller sets beforehand.
     *
     * @throws IOException when the handshake fails; the caller closes {@code plain}
     */
    public SSLSocket upgrade(Socket plain) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, null, true);
        tls.setUseClientMode(false);
        tls.setSSLParameters(parameters());
        tls.startHandshake();
        return tls;
    }

    /**
     * A listening socket for implicit TLS (port 465) whose accepted sockets carry this policy; the
     * handshake happens on the first read or {@link SSLSocket#startHandshake()}. Accepting plain
     * sockets and calling {@link #upgrade} in the connection's thread is equivalent.
     */
    public SSLServerSocket listen(InetSocketAddress address, int backlog) throws IOException {
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        server.setSSLParameters(parameters());
        server.setReuseAddress(true);
        server.bind(address, backlog);
        return server;
    }

    /** The context itself, for SSLEngine users. Sockets made directly from it lack the policy: apply {@link #parameters()}. */
    public SSLContext context() {
        return context;
    }

    /** A copy of the policy: protocols, suites, server order. */
    public SSLParameters parameters() {
        SSLParameters copy = new SSLParameters(parameters.getCipherSuites(), parameters.getProtocols());
        copy.setUseCipherSuitesOrder(parameters.getUseCipherSuitesOrder());
        copy.setNeedClientAuth(false);
        copy.setWantClientAuth(false);
        return copy;
    }

    private static String[] supported(List<String> wanted, String[] available) {
        List<String> have = Arrays.asList(available);
        List<String> result = new ArrayList<>();
        for (String name : wanted) {
            if (have.contains(name)) {
                result.add(name);
            }
        }
        if (result.isEmpty()) {
            throw new IllegalStateException("this JDK supports none of " + wanted);
        }
        return result.toArray(String[]::new);
    }
}
