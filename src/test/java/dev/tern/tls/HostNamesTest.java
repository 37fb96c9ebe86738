package dev.tern.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HostNamesTest {

    private static TestPki pki;

    @BeforeAll
    static void pki() throws Exception {
        pki = new TestPki();
    }

    @Test
    void exactNamesMatchIgnoringCaseAndTrailingDot() {
        assertThat(HostNames.matches("mx.example.com", "MX.Example.COM.")).isTrue();
        assertThat(HostNames.matches("mx.example.com", "mx2.example.com")).isFalse();
        assertThat(HostNames.matches("mx.example.com", "")).isFalse();
    }

    @Test
    void wildcardCoversExactlyOneLeftMostLabel() {
        assertThat(HostNames.matches("*.example.com", "mx.example.com")).isTrue();
        assertThat(HostNames.matches("*.example.com", "example.com")).isFalse();
        assertThat(HostNames.matches("*.example.com", "a.b.example.com")).isFalse();
        assertThat(HostNames.matches("*.example.com", ".example.com")).isFalse();
        assertThat(HostNames.matches("*.com", "example.com")).isFalse();
    }

    @Test
    void subjectAltNamesWinOverTheCommonName() throws Exception {
        TestPki.Issued issued = pki.issue("cn.example", List.of("Mail.Example", "*.mx.example"), false);
        assertThat(HostNames.of(issued.cert())).containsExactly("mail.example", "*.mx.example");
    }

    @Test
    void commonNameIsUsedOnlyWithoutSubjectAltNames() throws Exception {
        TestPki.Issued issued = pki.issue("Old.Example", List.of(), false);
        assertThat(HostNames.of(issued.cert())).containsExactly("old.example");
    }

    @Property(tries = 200)
    void wildcardNeverMatchesAnotherNumberOfLabels(
            @ForAll @AlphaChars @StringLength(min = 1, max = 8) String a,
            @ForAll @AlphaChars @StringLength(min = 1, max = 8) String b) {
        assertThat(HostNames.matches("*.example.org", a + ".example.org")).isTrue();
        assertThat(HostNames.matches("*.example.org", a + "." + b + ".example.org")).isFalse();
        assertThat(HostNames.matches("*.example.org", a + ".example.net")).isFalse();
    }
}
