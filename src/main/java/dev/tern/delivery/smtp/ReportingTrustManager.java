package dev.tern.delivery.smtp;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks a server's certificate as {@code verify} would, but lets the handshake go on whatever it finds and keeps
 * the failure for TLS-RPT: an MTA-STS policy in {@code testing} mode asks to deliver as without it and report
 * what would have failed (RFC 8461 §5.2). One instance per session.
 */
final class ReportingTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager pkix;
    private volatile CertificateException failure;

    ReportingTrustManager(X509ExtendedTrustManager pkix) {
        this.pkix = pkix;
    }

    /** What the check found, or null when the certificate would have passed. */
    CertificateException failure() {
        return failure;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        try {
            pkix.checkServerTrusted(chain, authType, socket); // the host name too: the socket names the algorithm
        } catch (CertificateException e) {
            failure = e;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        try {
            pkix.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            failure = e;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        try {
            pkix.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            failure = e;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("a client of outbound SMTP checks no client certificate");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a client of outbound SMTP checks no client certificate");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client of outbound SMTP checks no client certificate");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
