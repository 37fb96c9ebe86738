package dev.tern.policy.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.policy.dmarc.DmarcRecord.Alignment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdentifierAlignmentTest {

    private static final IdentifierAlignment ALIGNMENT = new IdentifierAlignment(PublicSuffixList.bundled());

    @ParameterizedTest(name = "{0} vs {1}: relaxed {2}, strict {3}")
    @CsvSource({
            "example.com,          example.com,           true,  true",
            "EXAMPLE.com.,         example.COM,           true,  true",
            "mail.example.com,     example.com,           true,  false",
            "example.com,          news.example.com,      true,  false",
            "a.example.com,        b.example.com,         true,  false",
            "example.net,          example.com,           false, false",
            "example.co.uk,        other.co.uk,           false, false",
            "co.uk,                example.co.uk,         false, false",
            "a.example.co.uk,      example.co.uk,         true,  false",
            "evil-example.com,     example.com,           false, false",
            "xn--bcher-kva.de,     mail.bücher.de,        true,  false",
            "bücher.de,            xn--bcher-kva.de,      true,  true",
            "user1.github.io,      user2.github.io,       false, false",
            "'',                   example.com,           false, false"})
    void relaxedAndStrict(String authenticated, String from, boolean relaxed, boolean strict) {
        assertThat(ALIGNMENT.aligned(Alignment.RELAXED, authenticated, from)).isEqualTo(relaxed);
        assertThat(ALIGNMENT.aligned(Alignment.STRICT, authenticated, from)).isEqualTo(strict);
    }
}
