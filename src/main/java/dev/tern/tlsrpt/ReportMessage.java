package dev.tern.tlsrpt;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The mail that carries a report (RFC 8460 §5.3): {@code multipart/report; report-type="tlsrpt"} with a short
 * text part for people and the gzip'd JSON as an {@code application/tlsrpt+gzip} attachment named as §5.1 says,
 * {@code TLS-Report-Domain} and {@code TLS-Report-Submitter} header fields and the Subject of §5.3. Lines end in
 * CRLF; everything is 7-bit (the attachment in base64), so it passes any relay.
 */
final class ReportMessage {

    private static final DateTimeFormatter RFC5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private ReportMessage() {
    }

    /** §5.1: {@code receiver "!" policy-domain "!" begin-timestamp "!" end-timestamp "." extension}. */
    static String fileName(String submitter, String policyDomain, TlsReport report) {
        return submitter + "!" + policyDomain + "!" + report.start().getEpochSecond() + "!"
                + report.end().getEpochSecond() + ".json.gz";
    }

    /**
     * @param submitter  our host name: {@code TLS-Report-Submitter}, the file name's first part
     * @param from       the From address
     * @param to         the {@code mailto:} recipients
     * @param gzipped    the report, gzip'd
     */
    static byte[] compose(TlsReport report, String policyDomain, String submitter, String from, List<String> to,
                          byte[] gzipped, Instant now) {
        String boundary = "tlsrpt-" + HexFormat.of().formatHex(randomBytes());
        String name = fileName(submitter, policyDomain, report);
        StringBuilder m = new StringBuilder(gzipped.length * 2 + 2048);
        line(m, "From: " + from);
        line(m, "To: " + String.join(", ", to));
        // §5.3: "Report Domain: <policy-domain> Submitter: <submitter> Report-ID: <report-id>"
        line(m, "Subject: Report Domain: " + policyDomain + " Submitter: " + submitter
                + " Report-ID: <" + report.reportId() + ">");
        line(m, "Date: " + RFC5322.format(now));
        line(m, "Message-ID: <" + HexFormat.of().formatHex(randomBytes()) + "." + now.getEpochSecond()
                + "@" + submitter + ">");
        line(m, "MIME-Version: 1.0");
        line(m, "TLS-Report-Domain: " + policyDomain);
        line(m, "TLS-Report-Submitter: " + submitter);
        line(m, "Auto-Submitted: auto-generated"); // RFC 3834: no vacation replies to a report
        line(m, "Content-Type: multipart/report; report-type=\"tlsrpt\";");
        line(m, "\tboundary=\"" + boundary + "\"");
        line(m, "");
        line(m, "This is a multipart message in MIME format: an SMTP TLS report (RFC 8460).");
        line(m, "");
        line(m, "--" + boundary);
        line(m, "Content-Type: text/plain; charset=us-ascii");
        line(m, "Content-Transfer-Encoding: 7bit");
        line(m, "");
        text(m, report, policyDomain, submitter);
        line(m, "");
        line(m, "--" + boundary);
        line(m, "Content-Type: application/tlsrpt+gzip; name=\"" + name + "\"");
        line(m, "Content-Transfer-Encoding: base64");
        line(m, "Content-Disposition: attachment; filename=\"" + name + "\"");
        line(m, "");
        m.append(Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(gzipped));
        line(m, "");
        line(m, "--" + boundary + "--");
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void text(StringBuilder m, TlsReport report, String policyDomain, String submitter) {
        long ok = 0;
        long failed = 0;
        for (TlsReport.PolicyResult r : report.policies()) {
            ok += r.successes();
            failed += r.failures();
        }
        line(m, "This is an aggregate TLS report from " + submitter + " for " + policyDomain + ",");
        line(m, "from " + ReportJson.dateTime(report.start()) + " to " + ReportJson.dateTime(report.end()) + ":");
        line(m, ok + " successful and " + failed + " failed TLS sessions.");
        line(m, "The attached file holds the report in the JSON format of RFC 8460, gzip'd.");
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return b;
    }

    private static void line(StringBuilder m, String text) {
        m.append(text).append("\r\n");
    }
}
