package dev.tern.dane;

import dev.tern.dns.TlsaRecord;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Whether a certificate matches one TLSA record (RFC 6698 §2.1.2-§2.1.3): the selected content (the whole
 * certificate, or its SubjectPublicKeyInfo) compared whole or by its SHA-256 or SHA-512 digest.
 */
final class TlsaMatch {

    private TlsaMatch() {
    }

    static boolean matches(TlsaRecord record, X509Certificate cert) {
        byte[] selected = selected(cert, record.selector());
        return selected != null && matches(record, selected);
    }

    static boolean matches(TlsaRecord record, byte[] selected) {
        byte[] compared = switch (record.matchingType()) {
            case TlsaUsability.MATCH_FULL -> selected;
            case TlsaUsability.MATCH_SHA256 -> digest("SHA-256", selected);
            case TlsaUsability.MATCH_SHA512 -> digest("SHA-512", selected);
            default -> null;
        };
        return compared != null && MessageDigest.isEqual(compared, record.data());
    }

    /**
     * The certificate's DER encoding (selector 0) or its SubjectPublicKeyInfo as the certificate carries it
     * (selector 1); null if the certificate cannot be encoded. The SubjectPublicKeyInfo is taken from the
     * certificate's own structure rather than from {@link PublicKey#getEncoded}, which the JDK may re-encode.
     */
    static byte[] selected(X509Certificate cert, int selector) {
        try {
            byte[] der = cert.getEncoded();
            if (selector == TlsaUsability.SELECTOR_CERT) {
                return der;
            }
            return Certificate.getInstance(der).getSubjectPublicKeyInfo().getEncoded();
        } catch (CertificateEncodingException | IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The public key of a DANE-TA(2) record that carries a whole SubjectPublicKeyInfo (2 1 0), or null. */
    static PublicKey publicKey(TlsaRecord record) {
        if (record.selector() != TlsaUsability.SELECTOR_SPKI || record.matchingType() != TlsaUsability.MATCH_FULL) {
            return null;
        }
        try {
            return new JcaPEMKeyConverter().getPublicKey(SubjectPublicKeyInfo.getInstance(record.data()));
        } catch (PEMException | IllegalArgumentException e) {
            return null; // not a key the JDK knows: the record matches nothing
        }
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }
}
