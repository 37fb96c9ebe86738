package dev.tern.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The streaming stuffer writes what a plain loop over the whole message makes of it, however it is split; and
 * whatever octets a stored message holds, a strict receiver gets back the message with its line ends made CRLF,
 * and no receiver finds a lone "." line before the real terminator (SMTP smuggling).
 */
class DotStufferProperties {

    @Provide
    Arbitrary<Byte> messageBytes() {
        return Arbitraries.of((byte) '.', (byte) '\r', (byte) '\n', (byte) 'a', (byte) ' ', (byte) 0xC3);
    }

    @Property
    void streamingEqualsStuffingTheWhole(@ForAll @Size(max = 200) List<@net.jqwik.api.From("messageBytes") Byte> bytes,
                                         @ForAll @IntRange(min = 1, max = 17) int piece) throws IOException {
        byte[] message = new byte[bytes.size()];
        for (int i = 0; i < message.length; i++) {
            message[i] = bytes.get(i);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffer stuffer = new DotStuffer(out);
        for (int from = 0; from < message.length; from += piece) {
            int n = Math.min(piece, message.length - from);
            if (n == 1) {
                stuffer.write(message[from]);
            } else {
                stuffer.write(message, from, n);
            }
        }
        stuffer.finish();
        assertThat(out.toByteArray()).isEqualTo(stuffWhole(message));
    }

    /** The reference: RFC 5321 §4.5.2 over the whole message at once, line ends made CRLF (§2.3.8). */
    private static byte[] stuffWhole(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean lineStart = true;
        boolean afterCr = false;
        for (byte b : message) {
            if (afterCr && b == '\n') {
                afterCr = false;
                continue; // the CRLF was written at its CR
            }
            afterCr = b == '\r';
            if (b == '\r' || b == '\n') {
                out.write('\r');
                out.write('\n');
                lineStart = true;
                continue;
            }
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = false;
        }
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        out.writeBytes(new byte[] {'.', '\r', '\n'});
        return out.toByteArray();
    }

    private static byte[] bytes(List<Byte> list) {
        byte[] message = new byte[list.size()];
        for (int i = 0; i < message.length; i++) {
            message[i] = list.get(i);
        }
        return message;
    }

    /** The reference normalisation: CRLF, bare CR and bare LF each end a line, written CRLF. */
    private static byte[] normalized(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1).replaceAll("\r\n|\r|\n", "\r\n");
        return (text.isEmpty() || text.endsWith("\r\n") ? text : text + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] stuffed(byte[] message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffer stuffer = new DotStuffer(out);
        stuffer.write(message, 0, message.length);
        stuffer.finish();
        return out.toByteArray();
    }

    @Property
    void aStrictReceiverGetsTheNormalizedTextBack(
            @ForAll @Size(max = 200) List<@net.jqwik.api.From("messageBytes") Byte> list) throws IOException {
        byte[] message = bytes(list);
        byte[] wire = stuffed(message);
        byte[] next = "NEXT\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] session = Arrays.copyOf(wire, wire.length + next.length);
        System.arraycopy(next, 0, session, wire.length, next.length);
        SmtpInput input = new SmtpInput(new ByteArrayInputStream(session), 7);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        MessageReader reader = new MessageReader(received, MessageReader.Mode.DATA, Long.MAX_VALUE, 100_000, false);

        assertThat(reader.readData(input)).isTrue();
        assertThat(reader.problem()).isEqualTo(MessageReader.Problem.NONE);
        assertThat(received.toByteArray()).isEqualTo(normalized(message));
        SmtpInput.Line line = new SmtpInput.Line(100);
        input.readLine(line);
        assertThat(new String(line.bytes(), 0, line.length(), StandardCharsets.US_ASCII)).isEqualTo("NEXT");
    }

    /** A lax receiver takes CR, LF or CRLF for a line end: no line it could see is a lone "." before the end. */
    @Property
    void noLaxLineIsALoneDotBeforeTheTerminator(
            @ForAll @Size(max = 200) List<@net.jqwik.api.From("messageBytes") Byte> list) throws IOException {
        String wire = new String(stuffed(bytes(list)), StandardCharsets.ISO_8859_1);
        String body = wire.substring(0, wire.length() - 3); // without the final ".\r\n"
        assertThat(body.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
        assertThat(body.split("\r\n|\r|\n", -1)).doesNotContain(".");
        assertThat(wire.equals(".\r\n") || wire.endsWith("\r\n.\r\n")).as(wire).isTrue();
    }
}
