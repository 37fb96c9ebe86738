package dev.tern.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SaslPrepTest {

    /** RFC 4013 §3's examples. */
    @Test
    void theRfcExamples() {
        assertThat(SaslPrep.prepare("I\u00ADX")).isEqualTo("IX");
        assertThat(SaslPrep.prepare("user")).isEqualTo("user");
        assertThat(SaslPrep.prepare("USER")).isEqualTo("USER");
        assertThat(SaslPrep.prepare("\u00AA")).isEqualTo("a");
        assertThat(SaslPrep.prepare("\u2168")).isEqualTo("IX");
        assertThatThrownBy(() -> SaslPrep.prepare("\u0007")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SaslPrep.prepare("\u0627\u0031")).hasMessageContaining("right-to-left");
    }

    @Test
    void spacesMapToSpaceAndOtherProhibitedCharactersAreRefused() {
        assertThat(SaslPrep.prepare("a\u00A0b\u3000c")).isEqualTo("a b c");
        assertThat(SaslPrep.prepare("\u0627\u0628")).isEqualTo("\u0627\u0628");
        for (String bad : new String[] {"a\u0000", "a\u007F", "a\u0085", "a\uE000", "a\u200E", "a\uFFFD", "a\uDC00"}) {
            assertThatThrownBy(() -> SaslPrep.prepare(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
