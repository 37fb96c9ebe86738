package dev.tern.delivery.smtp;

import dev.tern.dane.DaneTrustManager;
import dev.tern.dns.Addresses;
import dev.tern.tls.TrustAnchors;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The client side of STARTTLS (RFC 3207): TLS 1.2 and 1.3 only (RFC 8996), the server's host name sent
 * with SNI, and the ways a host's policy ({@link HostTls.Level}) judges the certificate. Opportunistic TLS
 * ({@code may}, {@code encrypt}) accepts any certificate, as RFC 7435 §3 and RFC 7672 §1.3 describe for MX hosts
 * found without DNSSEC; {@code verify} and MTA-STS require a chain to a trusted authority (the JDK's trust store,
 * plus the configured CA file) and a certificate name matching the host name, checked as for HTTPS (RFC 6125,
 * RFC 2818 §3.1); DANE matches the certificate against the host's TLSA records (RFC 7672 §3); an MTA-STS
 * policy in {@code testing} mode checks as {@code verify} does but only reports what it found (RFC 8461 §5.2).
 */
public final class ClientTls {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLContext anyCertificate;
    private final SSLContext verifying;
    private final X509ExtendedTrustManager pkix;

    private ClientTls(SSLContext anyCertificate, SSLContext verifying, X509ExtendedTrustManager pkix) {
        this.anyCertificate = anyCertificate;
        this.verifying = verifying;
        this.pkix = pkix;
    }

    /** A TLS socket, and for a reporting-only check what the certificate check found (null: it passed). */
    record Upgraded(SSLSocket socket, Exception unverified) {
    }

    /**
     * @param caFile PEM certificates to trust besides the JDK's trust store, or null for the JDK's alone
     * @throws IOException when the file cannot be read or holds no certificate
     */
    public static ClientTls create(Path caFile) throws IOException {
        try {
            SSLContext any = SSLContext.getInstance("TLS");
            any.init(null, new TrustManager[] {new AnyCertificate()}, null);
            TrustManager[] trust = TrustAnchors.managers(caFile);
            SSLContext verify = SSLContext.getInstance("TLS");
            verify.init(null, trust, null);
            return new ClientTls(any, verify, pkix(trust));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up client TLS: " + e.getMessage(), e);
        }
    }

    /**
     * Starts TLS over a connected socket and completes the handshake, bounded by the socket's SO_TIMEOUT.
     *
     * @param host   the server's host name, for SNI and the certificate's name
     * @param verify whether the certificate must be valid for {@code host}
     * @throws IOException when the handshake fails; the caller closes {@code plain}
     */
    SSLSocket upgrade(Socket plain, String host, boolean verify) throws IOException {
        return upgrade(plain, host, HostTls.configured(verify ? "verify" : "may",
                verify ? HostTls.Level.VERIFY : HostTls.Level.MAY)).socket();
    }

    /**
     * Starts TLS as {@code policy} asks and completes the handshake, bounded by the socket's SO_TIMEOUT.
     *
     * @throws IOException when the handshake fails, the certificate check among its causes; the caller closes
     *                     {@code plain}
     */
    Upgraded upgrade(Socket plain, String host, HostTls policy) throws IOException {
        ReportingTrustManager reporting = null;
        SSLContext context;
        switch (policy.level()) {
            case VERIFY -> context = verifying;
            case DANE -> context = context(DaneTrustManager.forRecords(policy.dane()));
            case MAY_REPORTING -> {
                reporting = new ReportingTrustManager(pkix);
                context = context(reporting);
            }
            default -> context = anyCertificate;
        }
        boolean named = Addresses.parse(host).isEmpty() && !host.startsWith("[");
        SSLSocket tls = (SSLSocket) context.getSocketFactory()
                .createSocket(plain, named ? host : plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setProtocols(supported(tls.getSupportedProtocols()));
        if (named) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        if (policy.level() == HostTls.Level.VERIFY || policy.level() == HostTls.Level.MAY_REPORTING) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        tls.setSSLParameters(parameters);
        tls.setUseClientMode(true);
        tls.startHandshake();
        return new Upgraded(tls, reporting == null ? null : reporting.failure());
    }

    /** A context of its own for a session whose trust depends on the host (DANE, reporting). */
    private static SSLContext context(X509ExtendedTrustManager trust) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up client TLS: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager pkix(TrustManager[] managers) throws GeneralSecurityException {
        for (TrustManager tm : managers) {
            if (tm instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("the JDK offers no X.509 trust manager");
    }

    private static String[] supported(String[] available) {
        List<String> have = Arrays.asList(available);
        return Arrays.stream(PROTOCOLS).filter(have::contains).toArray(String[]::new);
    }

    /** Opportunistic TLS: encryption against passive eavesdroppers, whatever certificate is shown. */
    private static final class AnyCertificate extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
