package dev.tern.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Where IDNA2008 (UTS #46 non-transitional) and IDNA2003 (java.net.IDN) disagree, Tern follows 2008. */
class IdnaTest {

    @Test
    void sharpSStaysSharpS() {
        assertThat(Domain.of("faß.de").key()).isEqualTo("xn--fa-hia.de"); // IDNA2003: fass.de
        assertThat(Domain.of("fass.de").sameAs(Domain.of("faß.de"))).isFalse();
    }

    @Test
    void finalSigmaStaysFinalSigma() {
        assertThat(Domain.of("βόλος.com").key()).isEqualTo("xn--nxasmm1c.com"); // IDNA2003: xn--nxasmq6b.com
    }

    @Test
    void zeroWidthJoinerIsKeptWhereItsContextRuleAllows() {
        // RFC 5892 Appendix A.2: ZWJ after a virama (here Devanagari) is valid; IDNA2003 dropped it.
        String withJoiner = Domain.of("क्\u200Dष.example").key();
        assertThat(withJoiner).startsWith("xn--").isNotEqualTo(Domain.of("क्ष.example").key());
        assertThat(Domain.of("a\u200Db.example").key()).isEqualTo("a\u200Db.example"); // CONTEXTJ fails
    }

    @Test
    void emojiDomainsAreRefused() {
        assertThat(Idna.toAscii("\uD83D\uDCA9.la")).isEmpty(); // IDNA2003: xn--ls8h.la
        assertThatThrownBy(() -> Address.parseMailbox("bob@\uD83D\uDCA9.la", true)).isInstanceOf(AddressException.class)
                .hasMessage("invalid character in domain");
    }

    @Test
    void ordinaryUlabelsAndAsciiAreUnchanged() {
        assertThat(Domain.of("Bücher.example").key()).isEqualTo("xn--bcher-kva.example");
        assertThat(Domain.of("XN--BCHER-KVA.example").key()).isEqualTo("xn--bcher-kva.example");
        assertThat(Domain.of("_dmarc.Example.COM").key()).isEqualTo("_dmarc.example.com");
        assertThat(Domain.of("[192.0.2.1]").key()).isEqualTo("[192.0.2.1]");
    }
}
