package dev.tern.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.smtp.protocol.Reply;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
}
