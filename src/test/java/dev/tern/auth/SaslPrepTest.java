package dev.tern.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SaslPrepTest {

    /** RFC 4013 §3's examples, numbered as there. */
    @Test
    void theRfcExamples() {
        assertThat(SaslPrep.prepare("I\u00ADX")).isEqualTo("IX");            // 1. SOFT HYPHEN mapped to nothing
        assertThat(SaslPrep.prepare("user")).isEqualTo("user");               // 2. no transformation
        assertThat(SaslPrep.prepare("USER")).isEqualTo("USER");               // 3. case preserved
        assertThat(SaslPrep.prepare("\u00AA")).isEqualTo("a");                // 4. output is NFKC
        assertThat(SaslPrep.prepare("\u2168")).isEqualTo("IX");               // 5. output is NFKC
        assertThatThrownBy(() -> SaslPrep.prepare("\u0007")).isInstanceOf(IllegalArgumentException.class); // 6.
        assertThatThrownBy(() -> SaslPrep.prepare("\u0627\u0031")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("right-to-left");                        // 7. bidi check
    }

    @Test
    void spacesMapToSpaceAndOtherProhibitedCharactersAreRefused() {
        assertThat(SaslPrep.prepare("a\u00A0b\u3000c")).isEqualTo("a b c");
        assertThat(SaslPrep.prepare("\u0627\u0628")).isEqualTo("\u0627\u0628");
        for (String bad : new String[] {"a\u0000", "a\u007F", "a\u0085", "a\uE000", "a\u200E", "a\uFFFD", "a\uDC00"}) {
            assertThatThrownBy(() -> SaslPrep.prepare(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** Characters assigned since Unicode 3.2 are accepted; code points the JDK knows as unassigned are not. */
    @Test
    void unassignedMeansUnassignedInTheJdksUnicode() {
        assertThat(SaslPrep.prepare("a\u0221")).isEqualTo("a\u0221");         // assigned in Unicode 4.0
        assertThat(SaslPrep.prepare("\uD83D\uDD11")).isEqualTo("\uD83D\uDD11"); // an emoji, Unicode 6.0
        assertThatThrownBy(() -> SaslPrep.prepare("a\u0378")).hasMessageContaining("U+0378");
    }
}
