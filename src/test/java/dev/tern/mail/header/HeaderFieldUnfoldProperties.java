package dev.tern.mail.header;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** The unfolding without regular expressions gives the values the regular expressions gave. */
class HeaderFieldUnfoldProperties {

    @Provide
    Arbitrary<String> pieces() {
        return Arbitraries.of("From", ":", " ", "\t", "\r\n", "\r", "\n", "a@b.example", "é", "\r\n ", "\n\t");
    }

    /** The earlier form of {@link HeaderField#value}'s unfolding, as the reference. */
    private static String reference(byte[] message, HeaderField field) {
        String raw = new String(message, field.start(), field.end() - field.start(), StandardCharsets.UTF_8);
        String afterColon = raw.substring(raw.indexOf(':') + 1);
        return afterColon.replaceAll("\r?\n(?=[ \t])", "").replaceAll("\r?\n\\z", "");
    }

    @Property
    void valuesAreUnfoldedAsBefore(@ForAll @Size(max = 40) List<@From("pieces") String> parts) {
        byte[] message = String.join("", parts).getBytes(StandardCharsets.UTF_8);
        List<HeaderField> fields = HeaderBlock.parse(message, HeaderBlock.LineEnds.LF).namedFields();
        List<String> expected = new ArrayList<>();
        for (HeaderField f : fields) {
            expected.add(reference(message, f));
        }
        assertThat(fields).extracting(HeaderField::value).containsExactlyElementsOf(expected);
        byte[] withRoom = Arrays.copyOf(message, message.length + 5);
        assertThat(HeaderBlock.parse(withRoom, message.length, HeaderBlock.LineEnds.LF).namedFields()).isEqualTo(fields);
    }
}
