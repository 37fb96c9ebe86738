package dev.tern.policy.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TagListTest {

    @Test
    void valuesAreUnfoldedAndTrimmed() throws DkimFormatException {
        Map<String, String> tags = TagList.parse(" v=1;\r\n a = rsa-sha256 ; b=ab\r\n cd;");
        assertThat(tags).containsExactly(Map.entry("v", "1"), Map.entry("a", "rsa-sha256"), Map.entry("b", "ab cd"));
        assertThat(TagList.withoutWhitespace(tags.get("b"))).isEqualTo("abcd");
    }

    @Test
    void aRepeatedTagOrAMissingEqualsIsRefused() {
        assertThatThrownBy(() -> TagList.parse("a=1; a=2")).hasMessageContaining("twice");
        assertThatThrownBy(() -> TagList.parse("a=1; junk")).hasMessageContaining("without '='");
        assertThatThrownBy(() -> TagList.parse("1a=1")).hasMessageContaining("bad tag name");
    }
}
