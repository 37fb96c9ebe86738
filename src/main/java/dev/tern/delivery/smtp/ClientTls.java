package dev.tern.delivery.smtp;

import dev.tern.dns.Addresses;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The client side of STARTTLS (RFC 3207): TLS 1.2 and 1.3 only (RFC 8996), the server's host name sent
 * with SNI, and two ways to judge the certificate. Opportunistic TLS ({@code may}, {@code encrypt}) accepts
 * any certificate, as RFC 7435 §3 and RFC 7672 §1.3 describe for MX hosts found without DNSSEC; {@code verify}
 * requires a chain to a trusted authority (the JDK's trust store, plus the configured CA file) and a
 * certificate name matching the host name, checked as for HTTPS (RFC 6125, RFC 2818 §3.1).
 */
public final class ClientTls {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLContext anyCertificate;
    private final SSLContext verifying;

    private ClientTls(SSLContext anyCertificate, SSLContext verifying) {
        this.anyCertificate = anyCertificate;
        this.verifying = verifying;
    }

    /**
     * @param caFile PEM certificates to trust besides the JDK's trust store, or null for the JDK's alone
     * @throws IOException when the file cannot be read or holds no certificate
     */
    public static ClientTls create(Path caFile) throws IOException {
        try {
            SSLContext any = SSLContext.getInstance("TLS");
            any.init(null, new TrustManager[] {new AnyCertificate()}, null);
            SSLContext verify = SSLContext.getInstance("TLS");
            verify.init(null, trustManagers(caFile), null);
            return new ClientTls(any, verify);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up client TLS: " + e.getMessage(), e);
        }
    }

    /**
     * Starts TLS over a connected socket and completes the handshake, bounded by the socket's SO_TIMEOUT.
     *
     * @param host   the server's host name, for SNI and (with {@code verify}) for the certificate check
     * @param verify whether the certificate must be valid for {@code host}
     * @throws IOException when the handshake fails; the caller closes {@code plain}
     */
    SSLSocket upgrade(Socket plain, String host, boolean verify) throws IOException {
        SSLContext context = verify ? verifying : anyCertificate;
        boolean named = Addresses.parse(host).isEmpty() && !host.startsWith("[");
        SSLSocket tls = (SSLSocket) context.getSocketFactory()
                .createSocket(plain, named ? host : plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setProtocols(supported(tls.getSupportedProtocols()));
        if (named) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        if (verify) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        tls.setSSLParameters(parameters);
        tls.setUseClientMode(true);
        tls.startHandshake();
        return tls;
    }

    private static String[] supported(String[] available) {
        List<String> have = Arrays.asList(available);
        return Arrays.stream(PROTOCOLS).filter(have::contains).toArray(String[]::new);
    }

    private static TrustManager[] trustManagers(Path caFile) throws GeneralSecurityException, IOException {
        TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jdk.init((KeyStore) null);
        if (caFile == null) {
            return jdk.getTrustManagers();
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int n = 0;
        for (TrustManager tm : jdk.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                for (X509Certificate anchor : x509.getAcceptedIssuers()) {
                    store.setCertificateEntry("jdk-" + n++, anchor);
                }
            }
        }
        for (Certificate cert : readPem(caFile)) {
            store.setCertificateEntry("file-" + n++, cert);
        }
        TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        combined.init(store);
        return combined.getTrustManagers();
    }

    private static List<Certificate> readPem(Path file) throws IOException, GeneralSecurityException {
        List<Certificate> certs;
        try (InputStream in = Files.newInputStream(file)) {
            certs = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        if (certs.isEmpty()) {
            throw new IOException(file + ": no PEM certificate found");
        }
        return certs;
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
