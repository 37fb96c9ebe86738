package dev.tern.dane;

import dev.tern.dns.TlsaRecord;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Authenticates an SMTP server's certificate chain by the usable TLSA records of its host (RFC 7672 §3), in
 * place of the PKIX trust store, for the SSLContext of one DANE session. The chain passes if any one record
 * passes:
 * <ul>
 *   <li>DANE-EE(3): the leaf's certificate or public key matches; nothing else is checked, neither names nor
 *       dates (RFC 7672 §3.1.1), since the DNSSEC-signed record binds the key to the host;</li>
 *   <li>DANE-TA(2): {@link TrustAnchorChain}.</li>
 * </ul>
 * Otherwise a {@link DaneCertificateException} says why: the most telling failure of a record that named an
 * anchor in the chain, else that no record matches. The caller should send SNI with the TLSA base domain
 * (RFC 7672 §8.1); that is the caller's SSLParameters, not this class's.
 */
public final class DaneTrustManager extends X509ExtendedTrustManager {

    private final List<TlsaRecord> records;
    private final List<String> referenceNames;
    private final String tlsaName;
    private final Clock clock;

    private DaneTrustManager(TlsaLookup.Usable lookup, Clock clock) {
        this.records = lookup.usable();
        this.referenceNames = lookup.referenceNames();
        this.tlsaName = lookup.tlsaName();
        this.clock = clock;
    }

    /** A trust manager for one host's records. */
    public static DaneTrustManager forRecords(TlsaLookup.Usable lookup) {
        return new DaneTrustManager(lookup, Clock.systemUTC());
    }

    /** The same, checking DANE-TA validity dates against {@code clock}. */
    public static DaneTrustManager forRecords(TlsaLookup.Usable lookup, Clock clock) {
        return new DaneTrustManager(lookup, clock);
    }

    /**
     * Checks a chain as presented, leaf first.
     *
     * @throws DaneCertificateException naming the check that failed
     */
    public void verify(X509Certificate[] chain) throws DaneCertificateException {
        if (chain == null || chain.length == 0) {
            throw new DaneCertificateException(DaneCertificateException.VALIDATION_FAILURE,
                    "DANE: the server presented no certificate");
        }
        DaneCertificateException telling = null;
        for (TlsaRecord record : records) {
            try {
                if (passes(chain, record)) {
                    return;
                }
            } catch (DaneCertificateException e) {
                telling = telling == null ? e : telling;
            }
        }
        if (telling != null) {
            throw telling;
        }
        throw new DaneCertificateException(DaneCertificateException.VALIDATION_FAILURE,
                "DANE: no TLSA record at " + tlsaName + " matches the certificate chain (" + records.size()
                        + " usable record" + (records.size() == 1 ? "" : "s") + ")");
    }

    private boolean passes(X509Certificate[] chain, TlsaRecord record) throws DaneCertificateException {
        return switch (record.usage()) {
            case TlsaUsability.DANE_EE -> TlsaMatch.matches(record, chain[0]);
            case TlsaUsability.DANE_TA -> TrustAnchorChain.verify(chain, record, referenceNames, clock.instant());
            default -> false; // TlsaLookup.Usable holds none of these
        };
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("DANE authenticates servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("DANE authenticates servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("DANE authenticates servers only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
