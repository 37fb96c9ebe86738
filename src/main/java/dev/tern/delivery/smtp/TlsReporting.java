package dev.tern.delivery.smtp;

import dev.tern.dane.DaneCertificateException;
import dev.tern.observe.Metrics;
import dev.tern.tlsrpt.TlsResults;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;

/**
 * Tells how each TLS session toward a server went: to TLS-RPT for the recipient domain's daily report
 * (RFC 8460 §4.3's result types) and to the metrics by policy.
 */
final class TlsReporting {

    /** The metrics' and the log's word for a session established as its policy asks. */
    static final String SUCCESS = "success";

    private final TlsResults results;

    TlsReporting(TlsResults results) {
        this.results = results;
    }

    /** A session established as {@code policy} asks. */
    void success(SmtpConnection c, HostTls policy) {
        record(c, policy, null, null);
    }

    /**
     * A session that did not reach what {@code policy} asks, or (a {@code testing} policy) would not have.
     *
     * @param resultType one of RFC 8460 §4.3.2's result types
     */
    void failure(SmtpConnection c, HostTls policy, String resultType, String detail) {
        record(c, policy, resultType, detail);
    }

    private void record(SmtpConnection c, HostTls policy, String resultType, String detail) {
        Metrics.get().outboundTls(policy.policy(), resultType == null ? SUCCESS : resultType);
        if (policy.report() != null) {
            results.record(policy.report().outcome(resultType, c.localAddress(), c.target().host(),
                    c.target().address().getHostAddress(), detail));
        }
    }

    /** The RFC 8460 §4.3.2 result type of a failed handshake or certificate check. */
    static String resultType(Throwable failure, HostTls policy) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DaneCertificateException dane) {
                return dane.resultType(); // the DANE check says which of its checks failed
            }
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return "certificate-expired";
            }
        }
        if (policy.level() == HostTls.Level.DANE) {
            return "validation-failure"; // RFC 8460 §4.3.2.1: no TLSA record matched
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("no subject alternative") || message.contains("no name matching")) {
                return "certificate-host-mismatch";
            }
            if (t instanceof CertPathValidatorException || message.contains("pkix path")) {
                return "certificate-not-trusted";
            }
        }
        return "validation-failure";
    }
}
