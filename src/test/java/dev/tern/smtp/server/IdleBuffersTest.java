package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.policy.RecipientPolicy;
import dev.tern.smtp.protocol.SmtpInput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A session gives its read buffer back while it waits for a command and reads into a small array instead
 * (SmtpInput.WAKE_OCTETS); what the client sends after such a wait, however long, is still read whole.
 */
class IdleBuffersTest {

    /** A client that waits for each reply: every read returns at most one line, and each read is recorded. */
    private static final class LineAtATime extends InputStream {
        private final byte[] bytes;
        private int position;
        /** The length each read asked for, and whether it came at the start of a line. */
        final List<int[]> reads = new ArrayList<>();

        LineAtATime(String text) {
            this.bytes = text.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            boolean lineStart = position == 0 || bytes[position - 1] == '\n';
            reads.add(new int[] {length, lineStart ? 1 : 0});
            if (position == bytes.length) {
                return -1;
            }
            int end = position;
            while (end < bytes.length && end - position < length && bytes[end++] != '\n') {
                // up to and including the next LF, or as much as the caller has room for
            }
            int n = end - position;
            System.arraycopy(bytes, position, into, offset, n);
            position = end;
            return n;
        }
    }

    private static List<String> run(InputStream client) throws IOException {
        SessionHarness harness = new SessionHarness();
        MemoryTransport transport = new MemoryTransport(client);
        new Session(harness.settings(), transport, harness.spool, new RecipientPolicy(new FakeDirectory())).run();
        assertThat(transport.closed).isTrue();
        return Arrays.asList(transport.serverText().split("\r\n"));
    }

    @Test
    void aLongCommandAfterAnIdleWaitIsReadWholeAndEveryWaitHoldsOnlyTheSmallArray() throws IOException {
        String longNoop = "NOOP " + "x".repeat(500); // 505 octets: four times the wake array, within 512
        String tooLong = "NOOP " + "y".repeat(700);
        LineAtATime client = new LineAtATime("EHLO c.example\r\n" + longNoop + "\r\n" + tooLong + "\r\n"
                + "MAIL FROM:<" + "a".repeat(60) + "@remote.example>\r\nRCPT TO:<alice@localhost>\r\n"
                + "DATA\r\nSubject: after a wait\r\n\r\n" + "z".repeat(900) + "\r\n.\r\nQUIT\r\n");

        List<String> replies = run(client);

        assertThat(replies).containsSequence("250 2.0.0 OK",
                "500 5.5.2 Line too long (at most 512 octets, RFC 5321 §4.5.3.1.4)", "250 2.1.0 Sender OK");
        assertThat(replies).anyMatch(line -> line.startsWith("250 2.0.0 OK: queued as "));
        assertThat(replies.get(replies.size() - 1)).startsWith("221 ");
        // Each of the seven waits for a command (EHLO, the two NOOPs, MAIL, RCPT, DATA, QUIT) asked for the wake
        // array only; the rest of a long line and the message data came into the borrowed buffer.
        List<int[]> commandWaits = client.reads.stream().filter(r -> r[0] == SmtpInput.WAKE_OCTETS).toList();
        assertThat(commandWaits).hasSize(7).allMatch(r -> r[1] == 1);
        assertThat(client.reads).anyMatch(r -> r[0] > SmtpInput.WAKE_OCTETS && r[1] == 0);
    }

    @Test
    void pipelinedCommandsAfterAWaitAreAllAnswered() throws IOException {
        // One packet with more than the wake array holds: the rest comes with the next read, into the buffer.
        StringBuilder burst = new StringBuilder("EHLO c.example\r\nMAIL FROM:<a@remote.example>\r\n");
        for (int i = 0; i < 20; i++) {
            burst.append("RCPT TO:<alice@localhost>\r\n");
        }
        burst.append("DATA\r\nSubject: pipelined\r\n\r\nbody\r\n.\r\nQUIT\r\n");

        List<String> replies = run(new ByteArrayInputStream(burst.toString().getBytes(StandardCharsets.US_ASCII)));

        assertThat(replies.stream().filter(line -> line.equals("250 2.1.5 Recipient OK"))).hasSize(20);
        assertThat(replies).anyMatch(line -> line.startsWith("250 2.0.0 OK: queued as "));
    }
}
