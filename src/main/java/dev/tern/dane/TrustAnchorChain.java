package dev.tern.dane;

import dev.tern.dns.TlsaRecord;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * The DANE-TA(2) check of a presented chain (RFC 7672 §3.1.2, RFC 7671 §5.2): the record names a trust anchor,
 * and the chain from the leaf up to it must verify as a PKIX path would (issuer names, signatures, CA flags,
 * validity dates), and the leaf must carry a reference name (RFC 7672 §3.2.3).
 *
 * <p>The anchor is a certificate of the chain above the leaf whose certificate (selector 0) or public key
 * (selector 1) matches. A record carrying a whole public key (2 1 0) may also name a key that is not in the
 * chain at all: the server then sends the chain up to the certificate that key signed (RFC 7671 §5.2.3).
 * The leaf itself is never the anchor: that is what DANE-EE(3) is for.
 */
final class TrustAnchorChain {

    private TrustAnchorChain() {
    }

    /**
     * @return false when the record names no anchor in (or above) this chain; true when the chain verifies
     * @throws DaneCertificateException when the anchor is there but the chain or the name fails
     */
    static boolean verify(X509Certificate[] chain, TlsaRecord record, List<String> referenceNames, Instant now)
            throws DaneCertificateException {
        int top = anchorIndex(chain, record);
        if (top < 0) {
            PublicKey key = TlsaMatch.publicKey(record);
            if (key == null || !signedBy(chain[chain.length - 1], key)) {
                return false;
            }
            top = chain.length - 1; // the anchor is the record's key, above the last certificate sent
        }
        checkSignatures(chain, top);
        checkDates(chain, top, now);
        List<String> names = CertificateNames.of(chain[0]);
        if (!CertificateNames.anyMatches(names, referenceNames)) {
            throw new DaneCertificateException(DaneCertificateException.HOST_MISMATCH, "DANE-TA: the certificate"
                    + " names " + CertificateNames.describe(names) + ", not " + String.join(" or ", referenceNames));
        }
        return true;
    }

    private static int anchorIndex(X509Certificate[] chain, TlsaRecord record) {
        for (int i = 1; i < chain.length; i++) {
            if (TlsaMatch.matches(record, chain[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Each certificate below the anchor is issued and signed by the next one, which must be a CA. */
    private static void checkSignatures(X509Certificate[] chain, int top) throws DaneCertificateException {
        for (int k = 0; k < top; k++) {
            X509Certificate issuer = chain[k + 1];
            if (!chain[k].getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                throw failure("certificate " + k + " of the chain was not issued by certificate " + (k + 1));
            }
            if (issuer.getBasicConstraints() < 0) {
                throw failure("certificate " + (k + 1) + " of the chain is not a CA certificate");
            }
            if (!signedBy(chain[k], issuer.getPublicKey())) {
                throw failure("certificate " + k + " of the chain has no valid signature of certificate " + (k + 1));
            }
        }
    }

    /** The leaf, the intermediates and the anchor's certificate (when the chain holds it) must be valid now. */
    private static void checkDates(X509Certificate[] chain, int top, Instant now) throws DaneCertificateException {
        Date date = Date.from(now);
        for (int k = 0; k <= top; k++) {
            try {
                chain[k].checkValidity(date);
            } catch (CertificateExpiredException e) {
                throw new DaneCertificateException(DaneCertificateException.EXPIRED, "DANE-TA: certificate " + k
                        + " of the chain expired " + chain[k].getNotAfter().toInstant());
            } catch (CertificateNotYetValidException e) {
                throw failure("certificate " + k + " of the chain is valid only from "
                        + chain[k].getNotBefore().toInstant());
            }
        }
    }

    private static boolean signedBy(X509Certificate cert, PublicKey key) {
        try {
            cert.verify(key);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static DaneCertificateException failure(String what) {
        return new DaneCertificateException(DaneCertificateException.VALIDATION_FAILURE, "DANE-TA: " + what);
    }
}
