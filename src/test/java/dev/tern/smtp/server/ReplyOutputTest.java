package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The session's reply buffer: gathers until a flush, holds no array after it, keeps the order of octets. */
class ReplyOutputTest {

    /** The connection: what reached it, write call by write call, and how often it was flushed. */
    private static final class Wire extends OutputStream {
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        final List<Integer> writes = new ArrayList<>();
        int flushes;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            all.write(b, off, len);
            writes.add(len);
        }

        @Override
        public void flush() {
            flushes++;
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void repliesGatherUntilAFlushWhichDropsTheArray() throws IOException {
        Wire wire = new Wire();
        ReplyOutput out = new ReplyOutput(wire);
        assertThat(out.holdsBuffer()).isFalse();
        out.write(ascii("250 2.1.0 Sender OK\r\n"));
        out.write(ascii("250 2.1.5 Recipient OK\r\n"));
        assertThat(wire.writes).isEmpty();
        assertThat(out.holdsBuffer()).isTrue();

        out.flush();

        assertThat(wire.writes).containsExactly(45);
        assertThat(wire.flushes).isOne();
        assertThat(out.holdsBuffer()).as("an idle session holds no output buffer").isFalse();
        out.write('x');
        out.flush();
        assertThat(wire.all.toString(StandardCharsets.US_ASCII))
                .isEqualTo("250 2.1.0 Sender OK\r\n250 2.1.5 Recipient OK\r\nx");
    }

    @Test
    void aLongGroupIsWrittenInPartsOfAtMostMaxAndInOrder() throws IOException {
        Wire wire = new Wire();
        ReplyOutput out = new ReplyOutput(wire);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1000; i++) { // 1000 pipelined RCPT replies: about 26 KB
            String reply = "250 2.1.5 Recipient OK " + i + "\r\n";
            out.write(ascii(reply));
            expected.append(reply);
        }
        String big = "y".repeat(ReplyOutput.MAX + 1);
        out.write(ascii(big));
        expected.append(big);
        out.flush();

        assertThat(wire.all.toString(StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
        assertThat(wire.writes.subList(0, wire.writes.size() - 2)).allMatch(n -> n <= ReplyOutput.MAX && n > 0);
        assertThat(wire.writes.get(wire.writes.size() - 1)).as("a large write goes straight through").isEqualTo(big.length());
        assertThat(out.holdsBuffer()).isFalse();
    }
}
