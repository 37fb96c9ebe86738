package dev.tern.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class ReplyReaderTest {

    private static ReplyReader reader(String wire) {
        return new ReplyReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsAMultiLineReplyAndTakesTheEnhancedCodeOff() throws IOException {
        Reply r = reader("250-2.1.5 first\r\n250-2.1.5 second\r\n250 2.1.5 last\r\n").read();
        assertThat(r.code()).isEqualTo(250);
        assertThat(r.enhanced()).isEqualTo("2.1.5");
        assertThat(r.lines()).containsExactly("first", "second", "last");
    }

    @Test
    void readsRepliesOneAfterAnother() throws IOException {
        ReplyReader in = reader("250 ok\r\n550 5.1.1 no\r\n354 go\r\n");
        assertThat(in.read().code()).isEqualTo(250);
        assertThat(in.read().enhanced()).isEqualTo("5.1.1");
        assertThat(in.read().code()).isEqualTo(354);
    }

    @Test
    void anEnhancedCodeOfAnotherClassIsText() throws IOException {
        Reply r = reader("550 2.0.0 odd\r\n").read();
        assertThat(r.enhanced()).isNull();
        assertThat(r.lines()).containsExactly("2.0.0 odd");
    }

    @Test
    void takesBareLfAndAnEmptyText() throws IOException {
        Reply r = reader("220\n").read();
        assertThat(r.code()).isEqualTo(220);
        assertThat(r.lines()).containsExactly("");
    }

    @Test
    void a421SaysTheServerIsClosing() throws IOException {
        assertThat(reader("421 4.3.2 bye\r\n").read().close()).isTrue();
    }

    @Test
    void refusesWhatIsNotAReply() {
        for (String bad : List.of("hello\r\n", "25 short\r\n", "250x\r\n", "250-a\r\n251 b\r\n", "199 low\r\n")) {
            assertThatThrownBy(() -> reader(bad).read()).as(bad).isInstanceOf(SmtpProtocolException.class);
        }
        assertThatThrownBy(() -> reader("250-unfinished\r\n").read()).isInstanceOf(EOFException.class);
    }

    @Test
    void refusesAnOverlongLineOrTooManyLines() {
        assertThatThrownBy(() -> reader("250 " + "x".repeat(ReplyReader.MAX_LINE) + "\r\n").read())
                .isInstanceOf(SmtpProtocolException.class);
        assertThatThrownBy(() -> reader("250-x\r\n".repeat(ReplyReader.MAX_LINES + 1) + "250 x\r\n").read())
                .isInstanceOf(SmtpProtocolException.class);
    }

    @Property
    void whatTheServerFormatsIsReadBack(@ForAll @IntRange(min = 200, max = 599) int code,
                                        @ForAll @IntRange(min = 1, max = 5) int lines,
                                        @ForAll @StringLength(max = 60) String word) throws IOException {
        String text = word.replaceAll("[\\x00-\\x1f\\x7f]", "").replaceAll("^[0-9. ]+", "");
        String enhanced = code / 100 == 3 ? null : (code / 100) + ".1.2"; // RFC 3463 §3.1: classes 2, 4, 5 only
        List<String> texts = java.util.Collections.nCopies(lines, text);
        Reply sent = new Reply(code, enhanced, texts, false);
        Reply read = new ReplyReader(new ByteArrayInputStream(sent.toBytes())).read();
        assertThat(read.code()).isEqualTo(code);
        assertThat(read.enhanced()).isEqualTo(enhanced);
        assertThat(read.lines()).isEqualTo(texts);
    }

    /** A stream that hands out at most {@code chunk} octets per read, as TCP segments may. */
    private static InputStream trickle(byte[] wire, int chunk) {
        return new ByteArrayInputStream(wire) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    @Test
    void theErrorTextsAreTheCouriers() {
        Map<String, String> expected = Map.of(
                "hello\r\n", "malformed reply line: hello",
                "25\r\n", "malformed reply line: 25",
                "250x\r\n", "malformed reply line: 250x",
                "2\u00e95 ok\r\n", "malformed reply line: 2\u00e95 ok",
                "250-a\r\n251 b\r\n", "reply code changed within a reply: 251 b",
                "199 low\r\n", "unexpected reply code: 199 low",
                "600 high\r\n", "unexpected reply code: 600 high",
                "hel\u0001lo\r\n", "malformed reply line: hel?lo");
        expected.forEach((wire, message) -> assertThatThrownBy(() -> reader(wire).read()).as(wire)
                .isInstanceOf(SmtpProtocolException.class).hasMessage(message));
        assertThatThrownBy(() -> reader("").read()).isInstanceOf(EOFException.class)
                .hasMessage("connection closed by the server");
        assertThatThrownBy(() -> reader("250 " + "x".repeat(ReplyReader.MAX_LINE)).read())
                .hasMessage("reply line longer than 4096 octets");
        assertThatThrownBy(() -> reader("250-x\r\n".repeat(ReplyReader.MAX_LINES) + "250 x\r\n").read())
                .hasMessage("reply of more than 200 lines");
    }

    @Test
    void aLineOfExactlyTheLimitIsRead() throws IOException {
        String text = "x".repeat(ReplyReader.MAX_LINE - 6); // "250 " + text + "x" + CR: MAX_LINE octets before the LF
        assertThat(reader("250 " + text + "x\r\n").read().lines()).containsExactly(text + "x");
        assertThat(reader("250 " + text + "xy\n").read().lines()).containsExactly(text + "xy");
        assertThatThrownBy(() -> reader("250 " + text + "xyz\n").read()).isInstanceOf(SmtpProtocolException.class);
        String many = "250-x\r\n".repeat(ReplyReader.MAX_LINES - 1) + "250 x\r\n";
        assertThat(reader(many).read().lines()).hasSize(ReplyReader.MAX_LINES);
    }

    @Test
    void linesSplitAcrossReadsAreJoinedAndUtf8SurvivesTheSplit() throws IOException {
        byte[] wire = "250-Gr\u00fc\u00dfe\r\n250 2.0.0 \u00e9t\u00e9\r\n220 next\n".getBytes(StandardCharsets.UTF_8);
        for (int chunk = 1; chunk <= wire.length; chunk++) {
            ReplyReader in = new ReplyReader(trickle(wire, chunk));
            Reply r = in.read();
            assertThat(r.lines()).as("chunk %d", chunk).containsExactly("Gr\u00fc\u00dfe", "\u00e9t\u00e9");
            assertThat(r.enhanced()).isEqualTo("2.0.0");
            assertThat(in.read().lines()).containsExactly("next");
        }
    }

    @Test
    void aLineLongerThanTheReadBufferIsReadWhole() throws IOException {
        String text = "y".repeat(ReplyReader.MAX_LINE - 10);
        byte[] wire = ("250-a\r\n" + ("250-" + text + "\r\n").repeat(5) + "250 end\r\n").getBytes(StandardCharsets.US_ASCII);
        Reply r = new ReplyReader(new ByteArrayInputStream(wire)).read();
        assertThat(r.lines()).hasSize(7).contains(text).endsWith("end");
    }

    @Test
    void anEnhancedCodeNeedsASpaceOrTheEnd() throws IOException {
        assertThat(reader("250 2.1.0\r\n").read().lines()).containsExactly("");
        assertThat(reader("250 2.1.0x ok\r\n").read().enhanced()).isNull();
        assertThat(reader("250 2.1000.0 ok\r\n").read().enhanced()).isNull();
        Reply mixed = reader("250-first\r\n250-2.1.5 second\r\n250 2.1.6 third\r\n").read();
        assertThat(mixed.enhanced()).isEqualTo("2.1.5"); // the first one sent is kept
        assertThat(mixed.lines()).containsExactly("first", "second", "third");
    }

    @Property
    void howTheOctetsArriveDoesNotMatter(@ForAll @IntRange(min = 1, max = 64) int chunk,
                                         @ForAll @StringLength(max = 300) String text) throws IOException {
        String clean = text.replaceAll("[\\x00-\\x1f\\x7f]", "");
        byte[] wire = ("250-" + clean + "\r\n250 " + clean + "\n554 5.7.1 " + clean + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
        ReplyReader whole = new ReplyReader(new ByteArrayInputStream(wire));
        ReplyReader trickled = new ReplyReader(trickle(wire, chunk));
        assertThat(trickled.read()).isEqualTo(whole.read());
        assertThat(trickled.read()).isEqualTo(whole.read());
    }

    /** The hand-written enhanced-code scanner finds exactly what the pattern it replaces found. */
    @Property
    void theEnhancedCodeScannerAgreesWithThePattern(@ForAll("enhancedLike") String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(ReplyReader.ENHANCED_PATTERN).matcher(text);
        int end = ReplyReader.enhancedCodeEnd(text);
        if (m.lookingAt()) {
            assertThat(end).as(text).isEqualTo(m.end(3));
            assertThat(text.substring(0, end)).isEqualTo(m.group(1) + "." + m.group(2) + "." + m.group(3));
            int rest = end < text.length() && text.charAt(end) == ' ' ? end + 1 : end;
            assertThat(rest).as(text).isEqualTo(m.end());
        } else {
            assertThat(end).as(text).isEqualTo(-1);
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> enhancedLike() {
        return net.jqwik.api.Arbitraries.strings().withChars("2450719.. \r\u0085\u2028\u2029x\u0661")
                .ofMaxLength(12);
    }

    @Test
    void theScannerKnowsTheCornersOfThePattern() {
        assertThat(ReplyReader.enhancedCodeEnd("2.1.0")).isEqualTo(5);
        assertThat(ReplyReader.enhancedCodeEnd("5.7.100 x")).isEqualTo(7);
        assertThat(ReplyReader.enhancedCodeEnd("4.4.1\r")).isEqualTo(5); // "$" before a final terminator
        assertThat(ReplyReader.enhancedCodeEnd("4.4.1\r ")).isEqualTo(-1);
        assertThat(ReplyReader.enhancedCodeEnd("5.1234.1 x")).isEqualTo(-1);
        assertThat(ReplyReader.enhancedCodeEnd("5.1.1234")).isEqualTo(-1);
        assertThat(ReplyReader.enhancedCodeEnd("3.1.1 x")).isEqualTo(-1);
        assertThat(ReplyReader.enhancedCodeEnd("5.\u0661.1 x")).isEqualTo(-1);
        assertThat(ReplyReader.enhancedCodeEnd("5..1 x")).isEqualTo(-1);
    }

    @Test
    void aCodeInAnotherScriptsDigitsIsReadAsBefore() throws IOException {
        // Character.isDigit and Integer.parseInt take any script's digits; the reader always has.
        assertThat(reader("\u0662\u0665\u0660 ok\r\n").read().code()).isEqualTo(250);
    }
}
