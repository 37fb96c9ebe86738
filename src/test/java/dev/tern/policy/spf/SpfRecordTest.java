package dev.tern.policy.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpfRecordTest {

    @Test
    void parsesEveryMechanismQualifierAndModifier() throws Exception {
        SpfRecord record = SpfRecord.parse("v=spf1 +a -mx:mail.example.com/24//64 ~ptr ?ip4:192.0.2.0/24 "
                + "ip6:2001:db8::/32 include:_spf.example.net exists:%{ir}.bl.example all "
                + "redirect=other.example exp=why.example unknown=%{d}");

        assertThat(record.directives()).extracting(SpfRecord.Directive::onMatch).containsExactly(
                SpfOutcome.PASS, SpfOutcome.FAIL, SpfOutcome.SOFTFAIL, SpfOutcome.NEUTRAL, SpfOutcome.PASS,
                SpfOutcome.PASS, SpfOutcome.PASS, SpfOutcome.PASS);
        assertThat(record.directives().get(1).mechanism()).isInstanceOfSatisfying(Mechanism.Mx.class, mx -> {
            assertThat(mx.domain().text()).isEqualTo("mail.example.com");
            assertThat(mx.cidr4()).isEqualTo(24);
            assertThat(mx.cidr6()).isEqualTo(64);
        });
        assertThat(record.directives().get(3).mechanism()).isInstanceOfSatisfying(Mechanism.Ip4.class,
                ip4 -> assertThat(ip4.cidr()).isEqualTo(24));
        assertThat(record.redirect().text()).isEqualTo("other.example");
        assertThat(record.explanation().text()).isEqualTo("why.example");
        assertThat(record.hasAll()).isTrue();
    }

    @Test
    void versionIsCaseInsensitiveAndMustEndInSpace() {
        assertThat(SpfRecord.isSpf("V=SPF1 -all")).isTrue();
        assertThat(SpfRecord.isSpf("v=spf1")).isTrue();
        assertThat(SpfRecord.isSpf("v=spf10 -all")).isFalse();
        assertThat(SpfRecord.isSpf("v=spf1-all")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=spf1 all:foo", "v=spf1 a:foo.com/33", "v=spf1 a//129", "v=spf1 ip4:1.2.3.4/01",
        "v=spf1 ip4:1.2.3", "v=spf1 ip4:01.2.3.4", "v=spf1 ip6:1.2.3.4", "v=spf1 ip6:zz::1", "v=spf1 include",
        "v=spf1 include:foo.com/24", "v=spf1 foo:bar.com", "v=spf1 exp=a.example exp=b.example",
        "v=spf1 redirect=a.example redirect=b.example", "v=spf1 redirect=", "v=spf1 -a:foo.com\tptr",
        "v=spf1 x=%{", "v=spf1 a:foo.com\u00e9", "v=spf1 =a", "v=spf1 a-b"})
    void syntaxErrorsAnywhereArePermErrors(String text) {
        assertThatThrownBy(() -> SpfRecord.parse(text)).isInstanceOfSatisfying(SpfException.class,
                e -> assertThat(e.outcome()).isEqualTo(SpfOutcome.PERMERROR));
    }

    @Property
    void anyTextEitherParsesOrIsAPermError(@ForAll("records") String text) {
        try {
            SpfRecord record = SpfRecord.parse(text);
            assertThat(record.directives().size()).isLessThanOrEqualTo(text.length());
        } catch (SpfException e) {
            assertThat(e.outcome()).isEqualTo(SpfOutcome.PERMERROR);
        }
    }

    @Provide
    Arbitrary<String> records() {
        Arbitrary<String> term = Arbitraries.oneOf(
                Arbitraries.of("a", "mx", "ptr", "all", "-all", "~all", "include:", "exists:", "ip4:", "ip6:",
                        "redirect=", "exp=", "x-y=", "a:", "mx:", "/", "//", "%{", "}", "%%", "%_", "%-"),
                Arbitraries.strings().withChars("abcdir0123456789.:/%{}=-+~?_ ").ofMaxLength(12));
        return term.list().ofMaxSize(8).map(terms -> "v=spf1 " + String.join(" ", terms));
    }
}
