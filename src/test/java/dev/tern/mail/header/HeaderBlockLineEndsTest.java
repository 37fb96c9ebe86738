package dev.tern.mail.header;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.mail.header.HeaderBlock.LineEnds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the readers of a header used to disagree, each keeps its way: these are the named choices. */
class HeaderBlockLineEndsTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aBareLfIsAnOctetForDkimAndALineEndForTheOthers() {
        byte[] message = bytes("A: 1\nB: 2\r\n\r\nbody");

        HeaderBlock crlf = HeaderBlock.parse(message, LineEnds.CRLF);
        HeaderBlock lf = crlf.as(LineEnds.LF);

        assertThat(crlf.fields()).extracting(HeaderField::toString).containsExactly("A: 1\nB: 2");
        assertThat(lf.fields()).extracting(HeaderField::name).containsExactly("A", "B");
        assertThat(lf.fields()).extracting(HeaderField::value).containsExactly(" 1", " 2");
        assertThat(lf.fields().get(0).end()).isEqualTo(5);
        assertThat(crlf.bodyOffset()).isEqualTo(lf.bodyOffset()).isEqualTo(13);
    }

    @Test
    void withoutBareLfBothViewsAreOneParse() {
        HeaderBlock block = HeaderBlock.parse(bytes("A: 1\r\n\tfolded\r\nB: 2\r\n\r\n"), LineEnds.CRLF);
        assertThat(block.as(LineEnds.LF)).isSameAs(block);
        assertThat(block.fields().get(0).value()).isEqualTo(" 1\tfolded");
    }

    @Test
    void anEmptyLineOfLfAloneEndsTheHeaderOnlyForTheLfReaders() {
        byte[] message = bytes("A: 1\n\nB: 2\r\n\r\n");
        assertThat(HeaderBlock.parse(message, LineEnds.LF).fields()).hasSize(1);
        assertThat(HeaderBlock.parse(message, LineEnds.LF).bodyOffset()).isEqualTo(6);
        assertThat(HeaderBlock.parse(message, LineEnds.CRLF).fields()).hasSize(1);
        assertThat(HeaderBlock.parse(message, LineEnds.CRLF).bodyOffset()).isEqualTo(message.length);
    }

    @Test
    void junkLinesAreKeptAsFieldsButOnlyNamedOnesAreRead() {
        HeaderBlock block = HeaderBlock.parse(bytes(" lead: x\r\njunk\r\n cont: y\r\n: z\r\nC: 3\r\n\r\n"),
                LineEnds.CRLF);

        assertThat(block.fields()).extracting(HeaderField::name).containsExactly(" lead", "junk\r\n cont", "", "C");
        assertThat(block.fields()).extracting(HeaderField::toString)
                .containsExactly(" lead: x", "junk\r\n cont: y", ": z", "C: 3");
        assertThat(block.namedFields()).extracting(HeaderField::name).containsExactly("C");
    }

    @Test
    void obsoleteWhiteSpaceBeforeTheColonIsNotPartOfTheName() {
        HeaderField f = HeaderBlock.parse("Subject \t: x\r\n").fields().get(0);
        assertThat(f.name()).isEqualTo("Subject");
        assertThat(f.is("subject")).isTrue();
        assertThat(f.hasStrictName()).isFalse(); // sendmail -t starts the body there
        assertThat(f.startsWithName()).isTrue();
    }

    @Test
    void dmarcMatchesNamesLenientlyAndDkimExactly() {
        HeaderField f = HeaderBlock.parse(bytes("\u000bFrom\u000b: a@b.example\r\n"), LineEnds.LF).fields().get(0);
        assertThat(f.is("From")).isFalse();
        assertThat(f.isLeniently("From")).isTrue();
        HeaderField utf8 = HeaderBlock.parse("From: Jos\u00e9 <j@b.example>\r\n".getBytes(StandardCharsets.UTF_8),
                LineEnds.LF).fields().get(0);
        assertThat(utf8.value()).isEqualTo(" Jos\u00e9 <j@b.example>");
        assertThat(utf8.toString()).isEqualTo("From: Jos\u00c3\u00a9 <j@b.example>"); // the octets, one char each
    }

    @Test
    void aHeaderWithoutBodyOrFinalLineEnd() {
        HeaderBlock block = HeaderBlock.parse(bytes("A: 1\r\nB: 2"), LineEnds.LF);
        assertThat(block.fields()).extracting(HeaderField::end).containsExactly(6, 10);
        assertThat(block.bodyOffset()).isEqualTo(10);
        assertThat(HeaderBlock.parse(new byte[0], LineEnds.CRLF).fields()).isEmpty();
    }

    @Test
    void anExcerptStopsAtALineStartingWithCrOrLfAndIsCutAtALineEnd() throws IOException {
        assertThat(excerpt("A: 1\r\nB: 2\rx\r\n\rC: 3\r\n", 1000)).isEqualTo("A: 1\r\nB: 2\rx\r\n\r\n");
        assertThat(excerpt("A: 1\r\nB: 2 and more", 1000)).isEqualTo("A: 1\r\n\r\n");
        assertThat(excerpt("A: 1\r\nB: 2\r\n\r\nbody", 10)).isEqualTo("A: 1\r\n\r\n");
        assertThat(excerpt("no line end", 1000)).isEqualTo("\r\n");
        List<HeaderField> fields = HeaderBlock.excerpt(new ByteArrayInputStream(bytes("A: 1\nB: 2\n")), 1000).fields();
        assertThat(fields).extracting(HeaderField::name).containsExactly("A", "B");
    }

    private static String excerpt(String message, int max) throws IOException {
        return new String(HeaderBlock.excerpt(new ByteArrayInputStream(bytes(message)), max).toByteArray(),
                StandardCharsets.ISO_8859_1);
    }
}
