package dev.tern.dane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CertificateNamesTest {

    @ParameterizedTest(name = "{0} against {1}: {2}")
    @CsvSource({
            "mx.example.org, mx.example.org, true",
            "MX.Example.ORG., mx.example.org, true",
            "mx.example.org, mx.example.org., true",
            "mx.example.org, mx2.example.org, false",
            "*.example.org, mx.example.org, true",
            "*.example.org, example.org, false",
            "*.example.org, a.mx.example.org, false",
            "*.org, example.org, false",
            "m*.example.org, mx.example.org, false",
            "*x.example.org, mx.example.org, false",
            "mx.*.org, mx.example.org, false",
            "*.*.org, mx.example.org, false",
            "'', mx.example.org, false",
    })
    void aWildcardIsTheWholeLeftmostLabelAndStandsForExactlyOne(String presented, String reference, boolean expected) {
        assertThat(CertificateNames.matches(presented, reference)).isEqualTo(expected);
    }

    @Test
    void theCommonNameCountsOnlyWithoutDnsNames() throws Exception {
        TestCertificates.Issued root = TestCertificates.root("Names Root");
        TestCertificates.Issued cnOnly = root.issue("mx.example.org", List.of(), false);
        TestCertificates.Issued withSan = root.issue("mx.example.org", List.of("smtp.example.org", "*.example.net"),
                false);

        assertThat(CertificateNames.of(cnOnly.cert())).containsExactly("mx.example.org");
        assertThat(CertificateNames.of(withSan.cert())).containsExactly("smtp.example.org", "*.example.net");
        assertThat(CertificateNames.anyMatches(CertificateNames.of(withSan.cert()), List.of("mx.example.org"))).isFalse();
        assertThat(CertificateNames.anyMatches(CertificateNames.of(withSan.cert()), List.of("a.example.net"))).isTrue();
    }

    @Test
    void aLongListOfNamesIsCutInMessages() {
        List<String> names = List.of("a.example", "b.example", "c.example", "d.example", "e.example", "f.example",
                "g.example");
        assertThat(CertificateNames.describe(names))
                .isEqualTo("a.example, b.example, c.example, d.example, e.example and 2 more");
        assertThat(CertificateNames.describe(List.of())).isEqualTo("no DNS name");
    }
}
