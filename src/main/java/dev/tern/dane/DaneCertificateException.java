package dev.tern.dane;

import java.security.cert.CertificateException;

/**
 * A server certificate chain that no usable TLSA record authenticates. The message says which check failed,
 * for the mail log; {@link #resultType} names it as TLS-RPT does (RFC 8460 §4.3.2).
 */
public final class DaneCertificateException extends CertificateException {

    /** No record matched, or a DANE-TA(2) chain did not verify (signature, issuer, CA flag). */
    public static final String VALIDATION_FAILURE = "validation-failure";
    /** A DANE-TA(2) chain verified, but the leaf names none of the reference names (RFC 7672 §3.2.3). */
    public static final String HOST_MISMATCH = "certificate-host-mismatch";
    /** A DANE-TA(2) chain verified, but a certificate of it has expired. */
    public static final String EXPIRED = "certificate-expired";

    private final String resultType;

    DaneCertificateException(String resultType, String message) {
        super(message);
        this.resultType = resultType;
    }

    /** {@link #VALIDATION_FAILURE}, {@link #HOST_MISMATCH} or {@link #EXPIRED}. */
    public String resultType() {
        return resultType;
    }
}
