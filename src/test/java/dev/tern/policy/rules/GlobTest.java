package dev.tern.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

    @ParameterizedTest
    @CsvSource({
            "*.example.com, mx.example.com, true",
            "*.example.com, a.b.example.com, true",
            "*.example.com, example.com, false",
            "*.example.com, badexample.com, false",
            "*.example.com, mx.example.com.evil, false",
            "example.com, example.com, true",
            "example.com, example.co, false",
            "*, '', true",
            "*, anything, true",
            "a*b*c, abc, true",
            "a*b*c, aXbYbZc, true",
            "a*b*c, acb, false",
            "**x, x, true",
            "mail*.example.com, mail42.example.com, true",
    })
    void matches(String pattern, String text, boolean expected) {
        assertThat(Glob.matches(pattern, text)).isEqualTo(expected);
    }

    /** The glob means what the equivalent regular expression means, on a small alphabet to make clashes likely. */
    @Property
    void agreesWithTheRegularExpression(@ForAll @StringLength(max = 8) @CharRange(from = 'a', to = 'c') String text,
            @ForAll @StringLength(max = 6) @CharRange(from = '*', to = '*') @CharRange(from = 'a', to = 'c')
            String pattern) {
        String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q");
        assertThat(Glob.matches(pattern, text)).isEqualTo(text.matches(regex));
    }
}
