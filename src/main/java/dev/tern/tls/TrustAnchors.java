package dev.tern.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The authorities a client trusts when it verifies a server (RFC 6125): the JDK's trust store, plus the PEM
 * certificates of an operator's CA file (a private CA, or a test one). One place for it, so that the SMTP client's
 * {@code verify} and the MTA-STS policy fetch trust the same authorities.
 */
public final class TrustAnchors {

    private TrustAnchors() {
    }

    /**
     * @param caFile PEM certificates to trust besides the JDK's trust store, or null for the JDK's alone
     * @throws IOException when the file cannot be read or holds no certificate
     */
    public static TrustManager[] managers(Path caFile) throws IOException {
        try {
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
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up the trusted authorities: " + e.getMessage(), e);
        }
    }

    /** A client context verifying servers against {@link #managers}; the caller checks the host name. */
    public static SSLContext clientContext(Path caFile) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, managers(caFile), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up client TLS: " + e.getMessage(), e);
        }
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
}
