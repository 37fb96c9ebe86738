package dev.tern.tls;

import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * What was negotiated on a TLS connection, for the mail log and the {@code Received:} header.
 *
 * @param protocol    e.g. {@code TLSv1.3}
 * @param cipherSuite e.g. {@code TLS_AES_128_GCM_SHA256}
 * @param serverName  the SNI host name the client asked for, or null
 */
public record TlsSession(String protocol, String cipherSuite, String serverName) {

    /** Describes the session of a socket whose handshake has completed (or completes it). */
    public static TlsSession describe(SSLSocket socket) {
        SSLSession session = socket.getSession();
        return new TlsSession(session.getProtocol(), session.getCipherSuite(), SniKeyManager.requestedHost(session));
    }

    /**
     * The comment for a {@code Received:} header, as Postfix writes it, e.g.
     * {@code using TLSv1.3 with cipher TLS_AES_128_GCM_SHA256}; the caller adds the parentheses, and
     * uses {@code with ESMTPS} (RFC 3848) as the protocol.
     */
    public String receivedComment() {
        return "using " + protocol + " with cipher " + cipherSuite;
    }

    /** A compact value for a {@code tls=} key of the mail log: {@code TLSv1.3:TLS_AES_128_GCM_SHA256}. */
    public String logValue() {
        return protocol + ":" + cipherSuite;
    }
}
