package dev.tern.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MessageReaderProperties {

    /** Dot-stuffing round-trips: what a sender stuffs, the reader gives back unchanged, and stops at the end. */
    @Property
    void dotStuffingRoundTrips(@ForAll("crlfMessages") String message) throws IOException {
        byte[] original = message.getBytes(StandardCharsets.UTF_8);
        byte[] wire = concat(DotStuffer.stuff(original), "NEXT\r\n".getBytes(StandardCharsets.US_ASCII));
        SmtpInput input = new SmtpInput(new ByteArrayInputStream(wire), 7);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        MessageReader reader = new MessageReader(sink, MessageReader.Mode.DATA, Long.MAX_VALUE, 100_000, false);

        assertThat(reader.readData(input)).isTrue();
        assertThat(reader.problem()).isEqualTo(MessageReader.Problem.NONE);
        assertThat(sink.toByteArray()).isEqualTo(original);
        SmtpInput.Line next = new SmtpInput.Line(100);
        input.readLine(next);
        assertThat(new String(next.bytes(), 0, next.length(), StandardCharsets.US_ASCII)).isEqualTo("NEXT");
    }

    /**
     * Whatever bytes come, the reader only stops at a real CRLF.CRLF, and the following bytes are untouched.
     * With bare CR/LF inside, the message is flagged, never ended early.
     */
    @Property
    void endsOnlyAtRealTerminator(@ForAll("smugglingSoup") String body) throws IOException {
        String wire = body + "\r\n.\r\nAFTER\r\n";
        SmtpInput input = new SmtpInput(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)), 5);
        MessageReader reader = new MessageReader(OutputStreamSink.NULL, MessageReader.Mode.DATA, Long.MAX_VALUE,
                100_000, false);
        assertThat(reader.readData(input)).isTrue();
        SmtpInput.Line next = new SmtpInput.Line(100);
        input.readLine(next);
        String after = new String(next.bytes(), 0, next.length(), StandardCharsets.ISO_8859_1);
        boolean oursIsFirst = ("\r\n" + body + "\r\n.\r\n").indexOf("\r\n.\r\n") == 2 + body.length();
        if (oursIsFirst) {
            assertThat(after).isEqualTo("AFTER");
            boolean bare = body.replace("\r\n", "").contains("\r") || body.replace("\r\n", "").contains("\n");
            assertThat(reader.problem() == MessageReader.Problem.BARE_LINE_ENDING).isEqualTo(bare);
        } else {
            assertThat(after).isNotEqualTo("AFTER");
        }
    }

    @Provide
    Arbitrary<String> crlfMessages() {
        Arbitrary<String> line = Arbitraries.strings().withChars("ab. .é\t").ofMaxLength(20);
        return line.list().ofMaxSize(12).map(lines -> String.join("\r\n", lines) + (lines.isEmpty() ? "" : "\r\n"));
    }

    @Provide
    Arbitrary<String> smugglingSoup() {
        return Arbitraries.of(List.of("\r", "\n", ".", "\r\n", "x", "MAIL FROM:<a@b>", " ")).list().ofMaxSize(30)
                .map(parts -> String.join("", parts));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A sink that drops everything. */
    static final class OutputStreamSink {
        static final java.io.OutputStream NULL = java.io.OutputStream.nullOutputStream();
    }
}
