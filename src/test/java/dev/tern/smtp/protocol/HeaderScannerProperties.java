package dev.tern.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The scanner counts what a reader of the whole header would count, however the stream is cut into writes. */
class HeaderScannerProperties {

    private static final Pattern RECEIVED = Pattern.compile("(?i)received[ \t]*:.*", Pattern.DOTALL);
    private static final Pattern TLS_REQUIRED = Pattern.compile("(?i)tls-required[ \t]*:.*", Pattern.DOTALL);

    @Provide
    Arbitrary<String> pieces() {
        return Arbitraries.of("Received:", "received :", "RECEIVED\t:", "Received-SPF:", "X-Received:", " ", ":",
                "\r\n", "\r", "\n", "x", "\r\n ", "Rec", "TLS-Required:", "tls-required\t:", "TLS-Required-X:",
                "TLS", "-", "\r", "Required:");
    }

    /** The reference: split the whole input into lines and count field names up to the first empty line. */
    private static int expectedReceived(String text) {
        return expected(text, RECEIVED);
    }

    private static int expected(String text, Pattern field) {
        String[] lines = text.split("\n", -1);
        int count = 0;
        for (int i = 0; i < lines.length; i++) {
            boolean ended = i < lines.length - 1;
            if (ended && (lines[i].isEmpty() || lines[i].equals("\r"))) {
                break;
            }
            if (field.matcher(lines[i]).matches()) {
                count++;
            }
        }
        return count;
    }

    @Property
    void countsLikeTheWholeAndPassesEveryOctet(@ForAll @Size(max = 60) List<@From("pieces") String> parts,
                                              @ForAll @IntRange(min = 1, max = 13) int piece) throws IOException {
        String text = String.join("", parts);
        byte[] message = text.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HeaderScanner scanner = new HeaderScanner(out, Long.MAX_VALUE, Integer.MAX_VALUE);
        for (int from = 0; from < message.length; from += piece) {
            int n = Math.min(piece, message.length - from);
            if (n == 1) {
                scanner.write(message[from]);
            } else {
                scanner.write(message, from, n);
            }
        }
        assertThat(scanner.receivedFields()).isEqualTo(expectedReceived(text));
        assertThat(scanner.tlsRequiredFields()).isEqualTo(expected(text, TLS_REQUIRED));
        assertThat(scanner.problem()).isEqualTo(HeaderScanner.Problem.NONE);
        assertThat(out.toByteArray()).isEqualTo(message);
    }

    @Test
    void theHeaderSizeIncludesItsEmptyLineAndNotTheBody() throws IOException {
        String header = "Subject: x\r\n\r\n"; // 14 octets
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HeaderScanner exact = new HeaderScanner(out, 14, 100);
        exact.write((header + "a body far longer than the header limit\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(exact.problem()).isEqualTo(HeaderScanner.Problem.NONE);
        assertThat(exact.headerSize()).isEqualTo(14);

        HeaderScanner under = new HeaderScanner(new ByteArrayOutputStream(), 13, 100);
        under.write(header.getBytes(StandardCharsets.US_ASCII));
        assertThat(under.problem()).isEqualTo(HeaderScanner.Problem.HEADER_TOO_LARGE);
    }

    @Test
    void afterAProblemNothingMoreReachesTheSink() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HeaderScanner scanner = new HeaderScanner(out, 1 << 20, 1);
        scanner.write("Received: a\r\n".getBytes(StandardCharsets.US_ASCII));
        scanner.write("Received: b\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        scanner.write("more body\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(scanner.problem()).isEqualTo(HeaderScanner.Problem.TOO_MANY_RECEIVED);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("Received: a\r\n");
    }
}
