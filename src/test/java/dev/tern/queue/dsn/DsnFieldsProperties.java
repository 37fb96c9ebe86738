package dev.tern.queue.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

class DsnFieldsProperties {

    @Property
    void foldedFieldsUnfoldToTheValueAndNeverCarryForeignLineBreaks(@ForAll @StringLength(max = 400) String value) {
        StringBuilder out = new StringBuilder();
        DsnFields.field(out, "Diagnostic-Code", value);
        String text = out.toString();
        assertThat(text).endsWith("\r\n");
        String[] lines = text.substring(0, text.length() - 2).split("\r\n", -1);
        for (int i = 1; i < lines.length; i++) {
            assertThat(lines[i]).startsWith(" ").isNotBlank(); // RFC 5322 §2.2.3 continuation lines
        }
        String unfolded = text.substring(0, text.length() - 2).replace("\r\n", "");
        String expected = DsnFields.clean(value).replaceAll(" {2,}", " ").strip();
        assertThat(unfolded).isEqualTo("Diagnostic-Code: " + expected);
        assertThat(unfolded).doesNotContain("\r", "\n");
    }
}
