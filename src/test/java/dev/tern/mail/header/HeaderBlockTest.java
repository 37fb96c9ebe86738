package dev.tern.mail.header;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class HeaderBlockTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsFoldedFieldsAndStopsAtTheEmptyLine() throws IOException {
        InputStream in = new ByteArrayInputStream(bytes("From: a\r\n\tb\r\nSubject : x\r\n\r\nbody\r\n"));

        List<HeaderField> fields = HeaderBlock.read(in).fields();

        assertThat(fields).extracting(HeaderField::name).containsExactly("From", "Subject");
        assertThat(fields.get(0).toString()).isEqualTo("From: a\r\n\tb");
        assertThat(fields.get(1).toString()).isEqualTo("Subject : x");
        assertThat(fields.get(0).value()).isEqualTo(" a\tb");
        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("body\r\n");
    }

    @Test
    void aMessageWithoutBodyOrFinalCrlfEndsTheBlockAtTheEnd() {
        assertThat(HeaderBlock.parse("A: 1\r\nB: 2").fields()).extracting(HeaderField::toString).containsExactly("A: 1", "B: 2");
        assertThat(HeaderBlock.parse("A: 1\r\n").fields()).hasSize(1);
        assertThat(HeaderBlock.parse("").fields()).isEmpty();
    }

    @Test
    void loneCrAndLfAreOrdinaryOctetsAndALineWithoutColonHasNoName() {
        List<HeaderField> fields = HeaderBlock.parse("A: x\ry\nz\r\nno colon here\r\n\r\n").fields();
        assertThat(fields).hasSize(2);
        assertThat(fields.get(0).toString()).isEqualTo("A: x\ry\nz");
        assertThat(fields.get(1).name()).isEmpty();
    }

    @Test
    void namesCompareWithoutCase() {
        assertThat(HeaderField.of("DKIM-signature: v=1").is("DKIM-Signature")).isTrue();
    }

    /** Any header block is read back to exactly its octets: fields joined with CRLF, then the empty line. */
    @Property(tries = 200)
    void fieldsRoundTripToTheOriginalOctets(@ForAll("headers") List<String> fields) throws IOException {
        String block = fields.stream().map(f -> f + "\r\n").reduce("", String::concat) + "\r\n";
        InputStream in = new ByteArrayInputStream(bytes(block + "BODY"));

        List<HeaderField> read = HeaderBlock.read(in).fields();

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        for (HeaderField f : read) {
            again.writeBytes(f.raw());
            again.writeBytes(bytes("\r\n"));
        }
        again.writeBytes(bytes("\r\n"));
        assertThat(again.toString(StandardCharsets.ISO_8859_1)).isEqualTo(block);
        assertThat(read).hasSize(fields.size());
        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("BODY");
    }

    @Provide
    Arbitrary<List<String>> headers() {
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').withChars('-', 'A', 'Z').ofMinLength(1)
                .ofMaxLength(12);
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars('\t').ofMaxLength(30);
        Arbitrary<String> continuation = Arbitraries.of(" ", "\t").flatMap(w -> text.map(t -> "\r\n" + w + t));
        Arbitrary<String> field = net.jqwik.api.Combinators.combine(name, text, continuation.list().ofMaxSize(3))
                .as((n, t, c) -> n + ":" + t + String.join("", c));
        return field.list().ofMaxSize(8);
    }
}
