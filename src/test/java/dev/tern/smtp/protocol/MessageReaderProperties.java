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

    /**
     * Runs of ordinary octets are taken in one piece: whatever the size of the reads, the reader gives the same
     * content, size and first problem (line too long, too big, bare line ending, NUL) as when it is fed one octet
     * at a time, which takes every octet through the state machine.
     */
    @Property
    void readsAlikeOneOctetOrManyAtATime(@ForAll("limitSoup") String body, @ForAll("limits") int[] limits)
            throws IOException {
        byte[] wire = (body + "\r\n.\r\nAFTER\r\n").getBytes(StandardCharsets.ISO_8859_1);
        String octetwise = read(wire, 1, limits);
        assertThat(read(wire, 16 * 1024, limits)).isEqualTo(octetwise);
        assertThat(read(wire, 13, limits)).isEqualTo(octetwise);
    }

    /** What a reader made of {@code wire} read {@code chunk} octets at a time, as one comparable string. */
    private static String read(byte[] wire, int chunk, int[] limits) throws IOException {
        SmtpInput input = new SmtpInput(new ByteArrayInputStream(wire), chunk);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        MessageReader reader = new MessageReader(sink, MessageReader.Mode.DATA, limits[0], limits[1], false);
        boolean ended = reader.readData(input);
        SmtpInput.Line next = new SmtpInput.Line(100);
        input.readLine(next);
        return ended + " " + reader.problem() + " " + reader.size() + " "
                + new String(next.bytes(), 0, next.length(), StandardCharsets.ISO_8859_1) + " "
                + (reader.problem() == MessageReader.Problem.NONE ? sink.toString(StandardCharsets.ISO_8859_1) : "");
    }

    @Provide
    Arbitrary<String> limitSoup() {
        return Arbitraries.of(List.of("\r\n", "\r", "\n", ".", "\u0000", "x", "abcdefghij", "a".repeat(40), " "))
                .list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    /** {maximum message size, maximum line length}, small enough to be reached. */
    @Provide
    Arbitrary<int[]> limits() {
        return Arbitraries.integers().between(1, 400).flatMap(size -> Arbitraries.integers().between(1, 120)
                .map(line -> new int[] {size, line}));
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
