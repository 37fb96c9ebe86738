package dev.tern.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class TlsRptRecordTest {

    @Test
    void theRfcExamplesParse() {
        assertThat(TlsRptRecord.parse("v=TLSRPTv1;rua=mailto:reports@example.com").mailboxes())
                .containsExactly("reports@example.com");
        TlsRptRecord both = TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:reports@example.com , "
                + "https://reporting.example.com/v1/tlsrpt;");
        assertThat(both.mailboxes()).containsExactly("reports@example.com");
        assertThat(both.endpoints()).containsExactly(URI.create("https://reporting.example.com/v1/tlsrpt"));
    }

    @Test
    void extensionsAreAllowedAndOtherSchemesIgnored() {
        TlsRptRecord r = TlsRptRecord.parse("v=TLSRPTv1; ext.x-1=value; rua=http://insecure.example/,"
                + "mailto:a%40b@example.org?subject=x");
        assertThat(r.endpoints()).isEmpty();
        assertThat(r.mailboxes()).containsExactly("a@b@example.org"); // percent-decoded, the ?hfields dropped
    }

    @Test
    void badRecordsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> TlsRptRecord.parse("v=TLSRPTv1")).hasMessageContaining("no rua");
        assertThatThrownBy(() -> TlsRptRecord.parse("v=TLSRPTv1;")).hasMessageContaining("without '='");
        assertThatThrownBy(() -> TlsRptRecord.parse("v=TLSRPTv1; ext=1")).hasMessageContaining("no rua");
        assertThatThrownBy(() -> TlsRptRecord.parse("v=TLSRPTv1; rua=")).hasMessageContaining("absolute URI");
        assertThatThrownBy(() -> TlsRptRecord.parse("v=TLSRPTv1; rua=reports@example.com"))
                .hasMessageContaining("absolute URI");
        assertThatThrownBy(() -> TlsRptRecord.parse("v=TLSRPTv2; rua=mailto:a@example.com"))
                .hasMessageContaining("v=TLSRPTv1");
        assertThatThrownBy(() -> TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:a@example.com; bad key=1"))
                .hasMessageContaining("bad field");
        assertThatThrownBy(() -> TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:a@example.com;; x=1"))
                .hasMessageContaining("without '='");
    }

    @Test
    void onlyRecordsStartingWithTheVersionAreCandidates() {
        assertThat(TlsRptRecord.isCandidate("v=TLSRPTv1; rua=mailto:a@example.com")).isTrue();
        assertThat(TlsRptRecord.isCandidate("v=TLSRPTv1 ;rua=mailto:a@example.com")).isTrue();
        assertThat(TlsRptRecord.isCandidate("v=spf1 -all")).isFalse();
        assertThat(TlsRptRecord.isCandidate("v=TLSRPTv10; rua=mailto:a@example.com")).isFalse();
        assertThat(TlsRptRecord.isCandidate(" v=TLSRPTv1; rua=mailto:a@example.com")).isFalse();
    }
}
