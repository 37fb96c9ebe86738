package dev.tern.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.smtp.protocol.SmtpInput.Line;
import dev.tern.smtp.protocol.SmtpInput.LineStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The session's line reader ({@link SmtpInput}) without a session: line ends, limits, buffering, pacing. */
class SmtpInputTest {

    private static SmtpInput input(String wire, int bufferSize) {
        return new SmtpInput(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)), bufferSize);
    }

    private static String text(Line line) {
        return new String(line.bytes(), 0, line.length(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aLineEndsAtCrlfOrABareLf() throws IOException {
        SmtpInput in = input("EHLO a\r\nNOOP\nQUIT\r\n", 64);
        Line line = new Line(512);
        in.readLine(line);
        assertThat(line.status()).isEqualTo(LineStatus.OK);
        assertThat(text(line)).isEqualTo("EHLO a");
        in.readLine(line);
        assertThat(text(line)).isEqualTo("NOOP");
        assertThat(line.status()).isEqualTo(LineStatus.OK);
        in.readLine(line);
        assertThat(text(line)).isEqualTo("QUIT");
        in.readLine(line);
        assertThat(line.status()).isEqualTo(LineStatus.EOF);
        assertThat(line.length()).isZero();
    }

    @Test
    void aCrNotFollowedByLfMakesTheLineBareCrAndIsKept() throws IOException {
        SmtpInput in = input("MAIL\rFROM:<>\r\nNOOP\r\r\nRSET\r\n", 64);
        Line line = new Line(512);
        in.readLine(line);
        assertThat(line.status()).isEqualTo(LineStatus.BARE_CR);
        assertThat(text(line)).isEqualTo("MAIL\rFROM:<>");
        in.readLine(line);
        assertThat(line.status()).isEqualTo(LineStatus.BARE_CR); // CR CR LF: the first CR is bare
        assertThat(text(line)).isEqualTo("NOOP\r");
        in.readLine(line);
        assertThat(line.status()).isEqualTo(LineStatus.OK);
        assertThat(text(line)).isEqualTo("RSET");
    }

    @Test
    void anOverlongLineIsConsumedToItsEndSoTheNextLineIsInStep() throws IOException {
        SmtpInput in = input("x".repeat(20) + "\r\nNOOP\r\n" + "y".repeat(8) + "\r\n" + "z".repeat(9) + "\r\n", 7);
        Line line = new Line(8);
        in.readLine(line);
        assertThat(line.status()).isEqualTo(LineStatus.TOO_LONG);
        assertThat(line.length()).isEqualTo(8);
        assertThat(text(line)).isEqualTo("x".repeat(8));
        in.readLine(line);
        assertThat(line.status()).isEqualTo(LineStatus.OK);
        assertThat(text(line)).isEqualTo("NOOP");
        in.readLine(line);
        assertThat(line.status()).as("exactly the capacity").isEqualTo(LineStatus.OK);
        assertThat(line.length()).isEqualTo(8);
        in.readLine(line);
        assertThat(line.status()).as("one more than the capacity").isEqualTo(LineStatus.TOO_LONG);
    }

    @Test
    void tooLongWinsOverBareCrAndABareCrCountsAsAnOctet() throws IOException {
        SmtpInput in = input("a\rbcdefghij\r\n" + "abcdefg\rh\r\n", 64);
        Line line = new Line(8);
        in.readLine(line);
        assertThat(line.status()).isEqualTo(LineStatus.TOO_LONG);
        in.readLine(line);
        assertThat(line.status()).as("seven octets, a bare CR and one more: 9 > 8").isEqualTo(LineStatus.TOO_LONG);
        assertThat(text(line)).isEqualTo("abcdefg\r");
    }

    @Test
    void aCrlfSplitAcrossReadsIsStillOneLineEnd() throws IOException {
        for (int size = 1; size <= 8; size++) {
            SmtpInput in = input("NOOP\r\nQUIT\r\n", size);
            Line line = new Line(16);
            in.readLine(line);
            assertThat(line.status()).as("buffer %d", size).isEqualTo(LineStatus.OK);
            assertThat(text(line)).isEqualTo("NOOP");
            in.readLine(line);
            assertThat(text(line)).isEqualTo("QUIT");
        }
    }

    @Test
    void theEndOfStreamInsideALineKeepsWhatWasRead() throws IOException {
        Line line = new Line(4);
        input("QUI", 64).readLine(line);
        assertThat(line.status()).isEqualTo(LineStatus.EOF);
        assertThat(text(line)).isEqualTo("QUI");
        input("QUIT\r", 64).readLine(line);
        assertThat(line.status()).isEqualTo(LineStatus.EOF);
        assertThat(text(line)).as("a CR without its LF is not kept").isEqualTo("QUIT");
        input("QUITTING", 64).readLine(line);
        assertThat(line.length()).isEqualTo(4);
        assertThat(line.status()).isEqualTo(LineStatus.EOF);
    }

    @Test
    void octetsAndChunksComeFromTheSameBuffer() throws IOException {
        SmtpInput in = input("DATA\r\nabcdef", 64);
        Line line = new Line(16);
        in.readLine(line);
        assertThat(in.read()).isEqualTo('a');
        List<String> seen = new ArrayList<>();
        int n = in.readChunk(3, (bytes, off, len) -> {
            seen.add(new String(bytes, off, len, StandardCharsets.US_ASCII));
            return 2; // a sink may stop early; the rest stays buffered
        });
        assertThat(n).isEqualTo(2);
        assertThat(seen).containsExactly("bcd");
        assertThat(in.hasBufferedInput()).isTrue();
        assertThat(in.read()).isEqualTo('d');
        assertThat(in.readChunk(100, (bytes, off, len) -> len)).isEqualTo(2);
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.readChunk(100, (bytes, off, len) -> len)).isEqualTo(-1);
        assertThat(in.hasBufferedInput()).isFalse();
    }

    @Test
    void anOctetAbove127IsReadUnsigned() throws IOException {
        SmtpInput in = new SmtpInput(new ByteArrayInputStream(new byte[] {(byte) 0xE9}), 8);
        assertThat(in.read()).isEqualTo(0xE9);
    }

    @Test
    void discardingDropsWhatWasBufferedAndSaysHowMuch() throws IOException {
        SmtpInput in = input("STARTTLS\r\nMAIL FROM:<evil@example>\r\n", 64);
        Line line = new Line(64);
        in.readLine(line);
        assertThat(in.discardBuffered()).isEqualTo("MAIL FROM:<evil@example>\r\n".length());
        assertThat(in.discardBuffered()).isZero();
        in.readLine(line);
        assertThat(line.status()).isEqualTo(LineStatus.EOF);
    }

    @Test
    void thePacerIsAskedBeforeEveryReadWithTheLineSoFar() throws IOException {
        List<long[]> asked = new ArrayList<>();
        InputStream wire = new ByteArrayInputStream("NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
        SmtpInput in = new SmtpInput(wire, 3, (started, octets, since) -> {
            asked.add(new long[] {started, octets, since});
            return false;
        });
        Line line = new Line(16);
        in.readLine(line);
        assertThat(text(line)).isEqualTo("NOOP");
        assertThat(asked).hasSize(2); // "NOO", then "P\r\n"
        assertThat(asked.get(0)[0]).as("no line in progress").isZero();
        assertThat(asked.get(0)[1]).isZero();
        assertThat(asked.get(1)[0]).as("the line began").isNotZero();
        assertThat(asked.get(1)[1]).isEqualTo(3);
        assertThat(asked.get(1)[2]).isNotZero();
    }

    @Test
    void aTimedOutSliceIsAskedAgainAndAWholeWaitIsNot() throws IOException {
        int[] calls = {0};
        InputStream flaky = new InputStream() {
            private int reads;

            @Override
            public int read() {
                return -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (reads++ == 0) {
                    throw new SocketTimeoutException("slice");
                }
                b[off] = '\n';
                return 1;
            }
        };
        SmtpInput sliced = new SmtpInput(flaky, 8, (started, octets, since) -> ++calls[0] == 1);
        Line line = new Line(8);
        sliced.readLine(line);
        assertThat(line.status()).isEqualTo(LineStatus.OK);
        assertThat(calls[0]).isEqualTo(2);

        InputStream silent = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new SocketTimeoutException("whole");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw new SocketTimeoutException("whole");
            }
        };
        SmtpInput whole = new SmtpInput(silent, 8, (started, octets, since) -> false);
        assertThatThrownBy(() -> whole.readLine(new Line(8))).isInstanceOf(SocketTimeoutException.class)
                .hasMessage("whole");
    }

    @Test
    void aPacerMayRefuseToWait() {
        SmtpInput in = new SmtpInput(new ByteArrayInputStream(new byte[0]), 8, (started, octets, since) -> {
            throw new IOException("too slow");
        });
        assertThatThrownBy(() -> in.readLine(new Line(8))).hasMessage("too slow");
    }

    /** A connection that delivers one piece per read (as packets arrive), recording each read's length. */
    private static final class Pieces extends InputStream {
        private final List<byte[]> pieces = new ArrayList<>();
        private int offsetInPiece;
        private final BufferPool pool;
        /** Per read: the length asked for, and how many buffers the pool held at that moment. */
        final List<int[]> reads = new ArrayList<>();

        Pieces(BufferPool pool, String... texts) {
            this.pool = pool;
            for (String text : texts) {
                pieces.add(text.getBytes(StandardCharsets.US_ASCII));
            }
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            reads.add(new int[] {length, pool.kept()});
            if (pieces.isEmpty()) {
                return -1;
            }
            byte[] piece = pieces.get(0);
            int n = Math.min(length, piece.length - offsetInPiece);
            System.arraycopy(piece, offsetInPiece, into, offset, n);
            offsetInPiece += n;
            if (offsetInPiece == piece.length) {
                pieces.remove(0);
                offsetInPiece = 0;
            }
            return n;
        }
    }

    @Test
    void waitingForACommandGivesTheBufferBackAndALongLineAfterTheWaitIsReadWhole() throws IOException {
        BufferPool pool = new BufferPool(256, 4);
        String longLine = "MAIL FROM:<" + "a".repeat(300) + "@example.org>";
        Pieces wire = new Pieces(pool, "EHLO a\r\n", "NOOP\r\n", longLine + "\r\nQUIT\r\n");
        SmtpInput in = new SmtpInput(wire, pool, null);
        Line line = new Line(512);

        in.readLine(line);
        assertThat(text(line)).isEqualTo("EHLO a");
        assertThat(in.holdsBuffer()).as("what arrived was copied into a borrowed buffer").isTrue();
        in.readLine(line);
        assertThat(text(line)).isEqualTo("NOOP");
        in.readLine(line);
        assertThat(line.status()).isEqualTo(LineStatus.OK);
        assertThat(text(line)).isEqualTo(longLine);
        in.readLine(line);
        assertThat(text(line)).as("buffered behind the long line: no wait, no read").isEqualTo("QUIT");
        in.readLine(line);
        assertThat(line.status()).isEqualTo(LineStatus.EOF);

        // Each wait for a command read into the wake array with the buffer back in the pool (none was lent
        // before the first); the rest of the long line came into the borrowed buffer, in a read of its size.
        assertThat(wire.reads).extracting(r -> r[0]).containsExactly(SmtpInput.WAKE_OCTETS, SmtpInput.WAKE_OCTETS,
                SmtpInput.WAKE_OCTETS, 256, SmtpInput.WAKE_OCTETS);
        assertThat(wire.reads).extracting(r -> r[1]).containsExactly(0, 1, 1, 0, 1);
        assertThat(in.holdsBuffer()).isFalse();
        assertThat(pool.kept()).isEqualTo(1);
    }

    @Test
    void messageDataKeepsTheBufferBetweenReads() throws IOException {
        BufferPool pool = new BufferPool(64, 4);
        Pieces wire = new Pieces(pool, "DATA\r\n", "abc", "def");
        SmtpInput in = new SmtpInput(wire, pool, null);
        in.readLine(new Line(16));
        StringBuilder data = new StringBuilder();
        while (in.readChunk(100, (bytes, off, len) -> {
            data.append(new String(bytes, off, len, StandardCharsets.US_ASCII));
            return len;
        }) > 0) {
            assertThat(in.holdsBuffer()).isTrue();
        }
        assertThat(data).hasToString("abcdef");
        assertThat(wire.reads).extracting(r -> r[1]).as("no buffer given back during the data").containsOnly(0);
    }

    @Test
    void aPoolKeepsAtMostItsBoundAndOnlyBuffersOfItsSize() {
        BufferPool pool = new BufferPool(32, 2);
        byte[] a = pool.take();
        byte[] b = pool.take();
        byte[] c = pool.take();
        assertThat(a).hasSize(32).isNotSameAs(b);
        pool.give(a);
        pool.give(b);
        pool.give(c);
        pool.give(new byte[16]);
        assertThat(pool.kept()).isEqualTo(2);
        assertThat(pool.take()).isSameAs(b);
        assertThat(pool.take()).isSameAs(a);
        assertThat(pool.take()).isNotSameAs(c).hasSize(32);
    }
}
