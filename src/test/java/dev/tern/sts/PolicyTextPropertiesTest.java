package dev.tern.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/** The policy parser (RFC 8461 §3.2) over generated policies and over any text. */
class PolicyTextPropertiesTest {

    /** A policy written with any mix of the grammar's freedoms reads back as written. */
    @Property
    void aWrittenPolicyReadsBack(@ForAll StsPolicy.Mode mode, @ForAll("patterns") List<String> mx,
            @ForAll @LongRange(max = 31_557_600) long maxAge, @ForAll boolean crlf, @ForAll boolean finalNewline,
            @ForAll @IntRange(max = 3) int blanks, @ForAll("extensions") List<String> extensions,
            @ForAll long seed) throws Exception {
        String pad = " ".repeat(blanks);
        List<String> lines = new ArrayList<>();
        lines.add("version:" + pad + "STSv1");
        lines.add("mode:" + pad + mode.word() + pad);
        lines.add("max_age: " + maxAge);
        mx.forEach(p -> lines.add("mx: " + p + pad));
        lines.addAll(extensions);
        Collections.shuffle(lines, new Random(seed));
        String end = crlf ? "\r\n" : "\n";
        String text = String.join(end, lines) + (finalNewline ? end : "");

        StsPolicy policy = PolicyText.parse(text, "id");

        assertThat(policy.mode()).isEqualTo(mode);
        assertThat(policy.maxAge()).isEqualTo(Duration.ofSeconds(maxAge));
        assertThat(policy.mxPatterns())
                .containsExactlyInAnyOrderElementsOf(mx.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList());
    }

    /** Whatever arrives over HTTPS, the parser answers a policy or a reason, never anything else. */
    @Property
    void anyTextIsAPolicyOrInvalid(@ForAll @StringLength(max = 300) String noise, @ForAll boolean withFields) {
        String text = withFields ? "version: STSv1\nmode: enforce\nmax_age: 5\n" + noise : noise;
        try {
            StsPolicy policy = PolicyText.parse(text, "id");
            assertThat(policy.mode() == StsPolicy.Mode.NONE || !policy.mxPatterns().isEmpty()).isTrue();
        } catch (PolicyText.InvalidPolicyException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<List<String>> patterns() {
        Arbitrary<String> label = Arbitraries.strings().withChars("abcXYZ019").ofMinLength(1).ofMaxLength(10)
                .flatMap(inner -> Arbitraries.of("", "-").map(h -> inner.length() > 1
                        ? inner.charAt(0) + h + inner.substring(1) : inner));
        Arbitrary<String> host = label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
        Arbitrary<String> pattern = Combinators.combine(Arbitraries.of("", "*."), host).as(String::concat);
        return pattern.list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<List<String>> extensions() {
        Arbitrary<String> name = Arbitraries.strings().withChars("abz09_.-").ofMinLength(0).ofMaxLength(8)
                .map(s -> "x" + s).filter(s -> !List.of("version", "mode", "max_age", "mx").contains(s));
        Arbitrary<String> value = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(20);
        return Combinators.combine(name, value).as((n, v) -> n + ": " + v).list().ofMaxSize(3);
    }
}
