package dev.tern.policy.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.mail.header.HeaderBlock;
import dev.tern.mail.header.HeaderField;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CanonicalizationTest {

    static String body(Canonicalization c, String input) {
        return body(c, input, input.length() + 1);
    }

    /** Feeds the body in chunks of {@code chunk} octets. */
    static String body(Canonicalization c, String input, int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BodyCanonicalizer canonicalizer = c.body(out::write);
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i += chunk) {
            canonicalizer.update(bytes, i, Math.min(chunk, bytes.length - i));
        }
        canonicalizer.finish();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    static String header(Canonicalization c, String field) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.header(HeaderField.of(field), out, true);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void simpleBody() {
        assertThat(body(Canonicalization.SIMPLE, "")).isEqualTo("\r\n"); // §3.4.3: an empty body is one CRLF
        assertThat(body(Canonicalization.SIMPLE, "a")).isEqualTo("a\r\n");
        assertThat(body(Canonicalization.SIMPLE, "a \r\n\r\n\r\n")).isEqualTo("a \r\n");
        assertThat(body(Canonicalization.SIMPLE, "\r\n\r\n")).isEqualTo("\r\n");
        assertThat(body(Canonicalization.SIMPLE, " \r\n\r\nb\r")).isEqualTo(" \r\n\r\nb\r\r\n");
    }

    @Test
    void relaxedBody() {
        assertThat(body(Canonicalization.RELAXED, "")).isEmpty(); // §3.4.4 (errata 1384): stays empty
        assertThat(body(Canonicalization.RELAXED, "\r\n \r\n")).isEmpty();
        assertThat(body(Canonicalization.RELAXED, "a")).isEqualTo("a\r\n");
        assertThat(body(Canonicalization.RELAXED, " a \t b\t\r\n\r\n")).isEqualTo(" a b\r\n");
        assertThat(body(Canonicalization.RELAXED, "a\r\n\t\r\nb  ")).isEqualTo("a\r\n\r\nb\r\n");
    }

    /** RFC 6376 §3.4.5's example. */
    @Test
    void rfc6376Example() {
        String header = "A: X\r\nB : Y\t\r\n\tZ  \r\n";
        String body = " C \r\nD \t E\r\n\r\n\r\n";
        List<HeaderField> fields = HeaderBlock.parse(header + "\r\n").fields();
        assertThat(header(Canonicalization.RELAXED, fields.get(0).toString())
                + header(Canonicalization.RELAXED, fields.get(1).toString())).isEqualTo("a:X\r\nb:Y Z\r\n");
        assertThat(body(Canonicalization.RELAXED, body)).isEqualTo(" C\r\nD E\r\n");
        assertThat(header(Canonicalization.SIMPLE, fields.get(1).toString())).isEqualTo("B : Y\t\r\n\tZ  \r\n");
        assertThat(body(Canonicalization.SIMPLE, body)).isEqualTo(" C \r\nD \t E\r\n");
    }

    /** Only the octets count, never where the stream was cut: a CRLF may be split across reads. */
    @Property(tries = 300)
    void chunkingDoesNotMatter(@ForAll("bodies") String input, @ForAll @IntRange(min = 1, max = 7) int chunk) {
        for (Canonicalization c : Canonicalization.values()) {
            assertThat(body(c, input, chunk)).isEqualTo(body(c, input));
        }
    }

    /** Canonical output is a fixed point, and ends in CRLF unless relaxed made it empty. */
    @Property(tries = 300)
    void canonicalizingTwiceChangesNothing(@ForAll("bodies") String input) {
        for (Canonicalization c : Canonicalization.values()) {
            String once = body(c, input);
            assertThat(body(c, once)).isEqualTo(once);
            assertThat(once.isEmpty() || once.endsWith("\r\n")).isTrue();
        }
    }

    /**
     * The streaming canonicalizers agree with §3.4.3 and §3.4.4 written out line by line, on bodies with runs
     * longer than the canonicalizer's buffer, fed in reads of any size.
     */
    @Property(tries = 150)
    void agreesWithTheRfcTextLineByLine(@ForAll("longBodies") String input,
            @ForAll("readSizes") int chunk) {
        assertThat(body(Canonicalization.SIMPLE, input, chunk)).isEqualTo(simpleByLines(input));
        assertThat(body(Canonicalization.RELAXED, input, chunk)).isEqualTo(relaxedByLines(input));
    }

    /** §3.4.3: empty lines at the end are removed; the body then ends with one CRLF (an empty body is CRLF). */
    private static String simpleByLines(String input) {
        String body = input;
        while (body.endsWith("\r\n")) {
            body = body.substring(0, body.length() - 2);
        }
        return body + "\r\n";
    }

    /**
     * §3.4.4: in each line WSP runs become one SP and WSP at its end goes; empty lines at the end are removed; a
     * non-empty body ends with CRLF, an empty one stays empty. The text after the last CRLF is a line too.
     */
    private static String relaxedByLines(String input) {
        List<String> lines = new java.util.ArrayList<>();
        for (String line : input.split("\r\n", -1)) {
            // \z rather than $, which also matches before a final lone CR: no line end (lines end in CRLF, RFC 5322 §2.1)
            lines.add(line.replaceAll("[ \t]+", " ").replaceAll(" \\z", ""));
        }
        while (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        return lines.isEmpty() ? "" : String.join("\r\n", lines) + "\r\n";
    }

    @Provide
    Arbitrary<String> longBodies() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().withChars('a', 'b', ' ', '\t', '\r', '\n', '\u00e9').ofMaxLength(8),
                Arbitraries.integers().between(1, 20_000).map("w"::repeat),
                Arbitraries.integers().between(1, 4_000).map("ab "::repeat));
        return piece.list().ofMaxSize(8).map(pieces -> String.join("", pieces));
    }

    @Provide
    Arbitrary<Integer> readSizes() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 9), Arbitraries.of(8191, 8192, 65536, 1 << 20));
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.strings().withChars('a', 'b', ' ', '\t', '\r', '\n').ofMaxLength(40);
    }
}
