package dev.tern.policy.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The examples of RFC 7208 §7.4, and the syntax rules of §7.1. */
class MacroExpanderTest {

    private static MacroExpander expander(String ip) throws Exception {
        return new MacroExpander(InetAddress.getByName(ip), "strong-bad@email.example.com", "helo.example.net",
                "mx.receiver.example", 1_700_000_000L, domain -> "mx.example.org");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "%{s}|strong-bad@email.example.com",
        "%{o}|email.example.com",
        "%{d}|email.example.com",
        "%{d4}|email.example.com",
        "%{d3}|email.example.com",
        "%{d2}|example.com",
        "%{d1}|com",
        "%{dr}|com.example.email",
        "%{d2r}|example.email",
        "%{l}|strong-bad",
        "%{l-}|strong.bad",
        "%{lr}|strong-bad",
        "%{lr-}|bad.strong",
        "%{l1r-}|strong",
        "%{ir}.%{v}._spf.%{d2}|3.2.0.192.in-addr._spf.example.com",
        "%{lr-}.lp._spf.%{d2}|bad.strong.lp._spf.example.com",
        "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}|bad.strong.lp.3.2.0.192.in-addr._spf.example.com",
        "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}|3.2.0.192.in-addr.strong.lp._spf.example.com",
        "%{d2}.trusted-domains.example.net|example.com.trusted-domains.example.net",
        "%{p}.%{h}.example|mx.example.org.helo.example.net.example",
    })
    void rfcExamplesForIpv4(String spec, String expected) throws Exception {
        assertThat(expander("192.0.2.3").domain(MacroString.domainSpec(spec), "email.example.com"))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "%{ir}.%{v}._spf.%{d2}|1.0.B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.ip6._spf.example.com",
    })
    void rfcExampleForIpv6(String spec, String expected) throws Exception {
        assertThat(expander("2001:db8::cb01").domain(MacroString.domainSpec(spec), "email.example.com"))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "%{c} %{r} %{t}|192.0.2.3 mx.receiver.example 1700000000",
        "100%% %_ %- %{L}|100%   %20 strong-bad",
        "%{S}|strong-bad%40email.example.com",
    })
    void explanationOnlyMacrosAndEscapes(String text, String expected) throws Exception {
        assertThat(expander("192.0.2.3").expand(MacroString.explanation(text), "email.example.com"))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"%{c}.example.com", "%{x}.example.com", "%{d0}.example.com", "%{d|}.example.com",
        "%{d.example.com", "%a.example.com", "50%.example.com", "example", "example.", "foo.1", "foo.-bar",
        "%{d}.exa mple.com"})
    void invalidDomainSpecsAreSyntaxErrors(String spec) {
        assertThatThrownBy(() -> MacroString.domainSpec(spec)).isInstanceOf(SpfException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"%{d}", "example.com.", "foo.xn--zckzah", "%%%_%-.%{ir}", "x.%{h}"})
    void validDomainSpecs(String spec) throws Exception {
        assertThat(MacroString.domainSpec(spec).text()).isEqualTo(spec);
    }

    @org.junit.jupiter.api.Test
    void overlongExpansionLosesLabelsFromTheLeft() throws Exception {
        String longLocal = "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(60);
        MacroExpander macros = new MacroExpander(InetAddress.getByName("192.0.2.3"), longLocal + "@example.com",
                "h.example", "r.example", 0, d -> "unknown");

        String name = macros.domain(MacroString.domainSpec("%{l}.example.com"), "example.com");

        assertThat(name).hasSizeLessThanOrEqualTo(253).startsWith("b").endsWith(".example.com");
    }
}
