package dev.tern.srs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tern's SRS against postsrsd (Debian's package), with the same secret and domain: postsrsd's two Postfix
 * {@code tcp_table} lookups (forward on one port, reverse on the other) answer on loopback, and each side must
 * write exactly what the other writes and accept what the other wrote, so an operator can move from postsrsd
 * to Tern (keeping {@code /etc/postsrsd.secret}) while bounces of mail forwarded before still come back.
 *
 * <p>postsrsd comes from the Debian package {@code postsrsd}; without it this test fails rather than skips.
 */
class PostsrsdInteropTest {

    static final Path POSTSRSD = Path.of("/usr/sbin/postsrsd");
    static final String SECRET = "interop-secret-for-postsrsd-0001";
    static final String DOMAIN = "fwd.example";

    @TempDir
    static Path dir;
    private static Process postsrsd;
    private static int forwardPort;
    private static int reversePort;
    private static final Srs TERN = new Srs(List.of(SECRET), Domain.of(DOMAIN), Srs.DEFAULT_MAX_AGE_DAYS,
            Clock.systemUTC());

    @BeforeAll
    static void startPostsrsd() throws Exception {
        assertThat(POSTSRSD).as("postsrsd (apt-get install -y postsrsd)").isExecutable();
        Path secret = dir.resolve("postsrsd.secret");
        Files.writeString(secret, SECRET + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        forwardPort = freePort();
        reversePort = freePort();
        postsrsd = new ProcessBuilder(POSTSRSD.toString(), "-s" + secret, "-d" + DOMAIN, "-f" + forwardPort,
                "-r" + reversePort, "-l127.0.0.1", "-4").redirectErrorStream(true)
                .redirectOutput(dir.resolve("postsrsd.log").toFile()).start();
        for (int i = 0; i < 100 && !listening(reversePort); i++) {
            assertThat(postsrsd.isAlive()).as("postsrsd runs: " + Files.readString(dir.resolve("postsrsd.log")))
                    .isTrue();
            Thread.sleep(50);
        }
        assertThat(listening(forwardPort) && listening(reversePort)).as("postsrsd listens").isTrue();
    }

    @AfterAll
    static void stopPostsrsd() throws InterruptedException {
        if (postsrsd != null) {
            postsrsd.destroy();
            postsrsd.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void ternRewritesSendersExactlyAsPostsrsdDoes() throws Exception {
        for (String sender : List.of("alice@example.org", "Bob.Smith@Example.ORG", "carol+lists@sub.example.net",
                "SRS0=HHHH=TT=orig.example=dave@first.example",
                "SRS1=abcd=first.example==HHHH=TT=orig.example=erin@second.example")) {
            String before = TERN.forward(SrsTest.address(sender)).toString();
            String theirs = lookup(forwardPort, sender);
            String after = TERN.forward(SrsTest.address(sender)).toString();
            assertThat(theirs).as(sender).isIn(before, after); // the day may turn between the two
        }
    }

    @Test
    void ternReversesWhatPostsrsdWroteAndPostsrsdWhatTernWrote() throws Exception {
        for (String sender : List.of("alice@example.org", "Frank@Example.ORG",
                "SRS0=HHHH=TT=orig.example=dave@first.example")) {
            String theirs = lookup(forwardPort, sender);
            Srs.Reversal ours = TERN.reverse(SrsTest.address(theirs), true);
            assertThat(ours).as(theirs).isInstanceOf(Srs.Valid.class);

            String written = TERN.forward(SrsTest.address(sender)).toString();
            String back = lookup(reversePort, written);
            assertThat(back).as(written).isEqualToIgnoringCase(((Srs.Valid) ours).original().toString());
            assertThat(back).isEqualTo(((Srs.Valid) TERN.reverse(SrsTest.address(written), true)).original().toString());
        }
    }

    @Test
    void bothRefuseAForgedHash() throws Exception {
        String theirs = lookup(forwardPort, "alice@example.org");
        String forged = theirs.substring(0, 5) + (theirs.charAt(5) == 'A' ? 'B' : 'A') + theirs.substring(6);

        assertThat(TERN.reverse(SrsTest.address(forged), true)).isInstanceOf(Srs.Invalid.class);
        assertThat(lookup(reversePort, forged)).as("postsrsd's answer to " + forged).isNull();
    }

    /** One {@code tcp_table} request: {@code get KEY}, answered {@code 200 VALUE} or a 4xx/5xx (then null). */
    private static String lookup(int port, String key) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("get " + key + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(reply).as("postsrsd's reply to get " + key).isNotNull();
            return reply.startsWith("200 ") ? decode(reply.substring(4)) : null;
        }
    }

    /** The {@code %XX} escapes of Postfix's tcp_table encoding. */
    private static String decode(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length()) {
                out.append((char) Integer.parseInt(value.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
