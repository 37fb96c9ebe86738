package dev.tern.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MimeReportsTest {

    private static byte[] composed() {
        return ReportMessage.compose(ReportJsonTest.REPORT, "example.org", "mx.tern.test", "postmaster@tern.test",
                List.of("tls-reports@example.org"), ReportJson.gzip(ReportJsonTest.REPORT),
                Instant.parse("2026-03-02T00:30:00Z"));
    }

    @Test
    void theMessageTernSendsIsShapedAsRfc8460Asks() {
        String text = new String(composed(), StandardCharsets.US_ASCII);
        String header = text.substring(0, text.indexOf("\r\n\r\n") + 2);
        assertThat(header).contains("Subject: Report Domain: example.org Submitter: mx.tern.test Report-ID: <"
                + ReportJsonTest.REPORT.reportId() + ">\r\n")
                .contains("TLS-Report-Domain: example.org\r\n").contains("TLS-Report-Submitter: mx.tern.test\r\n")
                .contains("From: postmaster@tern.test\r\n").contains("To: tls-reports@example.org\r\n")
                .contains("Content-Type: multipart/report; report-type=\"tlsrpt\";\r\n")
                .contains("MIME-Version: 1.0\r\n");
        assertThat(text).contains("Content-Type: application/tlsrpt+gzip")
                .contains("Content-Disposition: attachment; filename=\"mx.tern.test!example.org!1772323200!"
                        + "1772409599.json.gz\"")
                .contains("Content-Type: text/plain; charset=us-ascii\r\n")
                .contains("48 successful and 3 failed TLS sessions.");
        assertThat(text.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(998));
    }

    @Test
    void theReportIsFoundInTheMessageTernSends() {
        MimeReports.Found found = MimeReports.read(composed());
        assertThat(found).isEqualTo(new MimeReports.Found.Reports(List.of(ReportJsonTest.REPORT)));
    }

    @Test
    void aJsonReportAtTheTopWithLfLinesIsFound() {
        String message = "From: reports@example.net\nSubject: report\nContent-Type: Application/TLSRPT+JSON\n\n"
                + new String(ReportJson.write(ReportJsonTest.REPORT), StandardCharsets.UTF_8);
        assertThat(MimeReports.read(message.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new MimeReports.Found.Reports(List.of(ReportJsonTest.REPORT)));
    }

    @Test
    void otherMailIsNotAReport() {
        String plain = "From: a@example.org\r\nSubject: hi\r\n\r\nhello\r\n";
        String mixed = "Content-Type: multipart/mixed; boundary=\"b; 1\"\r\n\r\n--b; 1\r\n"
                + "Content-Type: text/plain\r\n\r\nhi\r\n--b; 1--\r\n";
        assertThat(MimeReports.read(plain.getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(MimeReports.Found.NotAReport.class);
        assertThat(MimeReports.read(mixed.getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(MimeReports.Found.NotAReport.class);
    }

    @Test
    void aBrokenReportIsCorruptWithTheReason() {
        String badZip = "Content-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "aGVsbG8gd29ybGQ=\r\n";
        String unclosed = "Content-Type: multipart/report; report-type=tlsrpt; boundary=x\r\n\r\n--x\r\n"
                + "Content-Type: text/plain\r\n\r\nhi\r\n";
        String noBoundary = "Content-Type: multipart/report\r\n\r\nbody\r\n";
        String qp = "Content-Type: application/tlsrpt+json\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{}";
        assertThat(MimeReports.read(badZip.getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new MimeReports.Found.Corrupt("not gzip: Not in GZIP format"));
        assertThat(MimeReports.read(unclosed.getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new MimeReports.Found.Corrupt("multipart without its closing boundary"));
        assertThat(MimeReports.read(noBoundary.getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new MimeReports.Found.Corrupt("multipart/report without a boundary"));
        assertThat(MimeReports.read(qp.getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(MimeReports.Found.Corrupt.class);
    }

    @Test
    void nestingIsBounded() {
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            m.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n--b").append(i)
                    .append("\r\n");
        }
        assertThat(MimeReports.read(m.toString().getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(MimeReports.Found.Corrupt.class);
    }
}
