package dev.tern.mail.header;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code TLS-Required: No} (RFC 8689 §3) as {@link TlsRequiredField} reads it from a message's header block. */
class TlsRequiredFieldTest {

    private static boolean saysNo(String message) {
        return TlsRequiredField.saysNo(HeaderBlock.parse(message.getBytes(StandardCharsets.UTF_8),
                HeaderBlock.LineEnds.CRLF));
    }

    @Test
    void theRfcExampleSaysNo() {
        assertThat(saysNo("From: Roger Reporter <roger@example.org>\r\nTo: Andy Admin <admin@example.com>\r\n"
                + "Subject: Certificate problem?\r\nTLS-Required: No\r\nDate: Fri, 18 Jan 2019 10:26:55 -0800\r\n"
                + "\r\nAndy, there seems to be a problem.\r\n")).isTrue();
    }

    @Test
    void nameAndValueAreReadWithoutRegardToCase() {
        assertThat(saysNo("tls-required: no\r\n\r\n")).isTrue();
        assertThat(saysNo("TLS-REQUIRED: NO\r\n\r\n")).isTrue();
        assertThat(saysNo("Tls-Required:nO\r\n\r\n")).as("FWS is optional").isTrue();
    }

    @Test
    void foldingAndWhiteSpaceAroundTheValueAreAllowed() {
        assertThat(saysNo("Subject: x\r\nTLS-Required:\r\n No\r\nTo: y\r\n\r\n")).as("folded before the value").isTrue();
        assertThat(saysNo("TLS-Required: \t No \t\r\n\r\n")).isTrue();
        assertThat(saysNo("TLS-Required :No\r\n\r\n")).as("obsolete WSP before the colon, RFC 5322 §4.5.3").isTrue();
        assertThat(saysNo("TLS-Required: No\nX: y\n\n")).as("bare LF line ends, read as LF").isTrue();
    }

    @Test
    void anyOtherValueAsksForNothing() {
        for (String value : new String[] {"Yes", "", "N o", "No;", "No (test)", "\"No\"", "Non", "No\r\n\tthanks",
                "0", "false"}) {
            assertThat(saysNo("TLS-Required: " + value + "\r\n\r\n")).as(value).isFalse();
        }
    }

    @Test
    void absentOrRepeatedFieldsAskForNothing() {
        assertThat(saysNo("Subject: TLS-Required: No\r\n\r\n")).isFalse();
        assertThat(saysNo("X-TLS-Required: No\r\nTLS-Required-Not: No\r\n\r\n")).isFalse();
        // RFC 8689 §3: more than one instance MUST NOT appear; a header with two is honoured for neither
        assertThat(saysNo("TLS-Required: No\r\nTLS-Required: No\r\n\r\n")).isFalse();
        assertThat(saysNo("TLS-Required: Yes\r\ntls-required: No\r\n\r\n")).isFalse();
    }

    @Test
    void onlyTheMessagesOwnHeaderCounts() {
        assertThat(saysNo("Subject: fwd\r\n\r\nTLS-Required: No\r\n")).as("a line of the body").isFalse();
        assertThat(saysNo("Subject: fwd\r\nContent-Type: message/rfc822\r\n\r\nFrom: a@b.example\r\n"
                + "TLS-Required: No\r\n\r\nforwarded\r\n")).as("a forwarded message's header").isFalse();
        assertThat(saysNo(" TLS-Required: No\r\n\r\n")).as("a continuation line with nothing above").isFalse();
    }

    @Test
    void theBlockReadFromAStreamAnswersTheSame() throws IOException {
        byte[] message = "Received: from a\r\nTLS-Required:\r\n\tNo\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(TlsRequiredField.saysNo(HeaderBlock.read(new ByteArrayInputStream(message)))).isTrue();
    }
}
