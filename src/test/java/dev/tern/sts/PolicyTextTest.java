package dev.tern.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The policy file's grammar (RFC 8461 §3.2). */
class PolicyTextTest {

    @Test
    void theRfcExampleWithCrlf() throws Exception {
        StsPolicy policy = PolicyText.parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
                + "mx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n", "id1");
        assertThat(policy.mode()).isEqualTo(StsPolicy.Mode.ENFORCE);
        assertThat(policy.mxPatterns()).containsExactly("mail.example.com", "*.example.net", "backupmx.example.com");
        assertThat(policy.maxAge()).isEqualTo(Duration.ofSeconds(604800));
        assertThat(policy.id()).isEqualTo("id1");
    }

    @Test
    void lfEndingsBlanksAfterValuesExtensionsAndNoFinalNewline() throws Exception {
        StsPolicy policy = PolicyText.parse("mx:MX.Example.COM  \nmax_age:   86400\t\nx-ext.1: any value here\n"
                + "mode: testing\nversion: STSv1", "id2");
        assertThat(policy.mode()).isEqualTo(StsPolicy.Mode.TESTING);
        assertThat(policy.mxPatterns()).containsExactly("mx.example.com");
        assertThat(policy.maxAge()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void modeNoneNeedsNoMx() throws Exception {
        assertThat(PolicyText.parse("version: STSv1\nmode: none\nmax_age: 0\n", "x").mode())
                .isEqualTo(StsPolicy.Mode.NONE);
    }

    @Test
    void theLongestMaxAgeIsAYear() throws Exception {
        String base = "version: STSv1\nmode: testing\nmx: a.example\nmax_age: ";
        assertThat(PolicyText.parse(base + "31557600\n", "x").maxAge()).isEqualTo(Duration.ofSeconds(31557600));
        assertInvalid(base + "31557601\n", "max_age");
        assertInvalid(base + "00000000001\n", "max_age");
        assertInvalid(base + "-1\n", "max_age");
        assertInvalid(base + "1d\n", "max_age");
    }

    @Test
    void missingRepeatedOrWrongFieldsAreInvalid() {
        assertInvalid("mode: enforce\nmx: a.example\nmax_age: 1\n", "no version");
        assertInvalid("version: STSv1\nmx: a.example\nmax_age: 1\n", "no mode");
        assertInvalid("version: STSv1\nmode: enforce\nmx: a.example\n", "no max_age");
        assertInvalid("version: STSv1\nmode: enforce\nmax_age: 1\n", "no mx");
        assertInvalid("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n", "version");
        assertInvalid("version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1\n", "mode \"Enforce\"");
        assertInvalid("version: STSv1\nmode: enforce\nmode: none\nmx: a.example\nmax_age: 1\n", "twice");
        assertInvalid("Version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n", "no version");
    }

    @Test
    void malformedLinesAndPatternsAreInvalid() {
        String head = "version: STSv1\nmode: enforce\nmax_age: 1\n";
        for (String mx : new String[] {"*", "*.*.example.com", "mx..example.com", "-mx.example.com", "mx.example.com.",
            "mx_1.example.com", "mx.example.com:25", "a b.example"}) {
            assertInvalid(head + "mx: " + mx + "\n", "mx");
        }
        assertInvalid(head + "mx: a.example\njust words\n", "line 5 is not \"key: value\"");
        assertInvalid(head + "mx: a.example\nx:\n", "line 5 has no value");
        assertInvalid(head + "mx: a.example\nx: a\rb\n", "control character");
        assertInvalid(head + "mx: a.example\nx: a\tb\n", "control character");
        assertInvalid(head + "mx: a.example\n_x: y\n", "line 5");
        assertInvalid("", "no version");
    }

    private static void assertInvalid(String text, String why) {
        assertThatThrownBy(() -> PolicyText.parse(text, "x")).as(text)
                .isInstanceOf(PolicyText.InvalidPolicyException.class).hasMessageContaining(why);
    }
}
