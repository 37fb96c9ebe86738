package dev.tern.dane;

import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.X509ExtendedTrustManager;

/** PLACEHOLDER until the dane branch lands: DANE-EE 3 1 1 only. */
public final class DaneTrustManager {
    private DaneTrustManager() {
    }

    public static X509ExtendedTrustManager of(TlsaLookup.Usable usable) {
        return new X509ExtendedTrustManager() {
            private void check(X509Certificate[] chain) throws CertificateException {
                try {
                    byte[] spki = MessageDigest.getInstance("SHA-256").digest(chain[0].getPublicKey().getEncoded());
                    for (var r : usable.usable()) {
                        if (r.usage() == 3 && r.selector() == 1 && r.matchingType() == 1 && Arrays.equals(r.data(), spki)) {
                            return;
                        }
                    }
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new CertificateException(e);
                }
                throw new CertificateException("no TLSA record matches the server's certificate");
            }

            @Override public void checkServerTrusted(X509Certificate[] c, String a, java.net.Socket s) throws CertificateException { check(c); }
            @Override public void checkServerTrusted(X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) throws CertificateException { check(c); }
            @Override public void checkServerTrusted(X509Certificate[] c, String a) throws CertificateException { check(c); }
            @Override public void checkClientTrusted(X509Certificate[] c, String a, java.net.Socket s) throws CertificateException { throw new CertificateException(); }
            @Override public void checkClientTrusted(X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) throws CertificateException { throw new CertificateException(); }
            @Override public void checkClientTrusted(X509Certificate[] c, String a) throws CertificateException { throw new CertificateException(); }
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        };
    }
}
