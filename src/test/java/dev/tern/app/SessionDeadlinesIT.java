package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.SmtpLimits;
import dev.tern.config.TestLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile clients over real sockets: each attack first, then what ends it. A socket timeout bounds one read,
 * so a client that sends an octet now and then would hold its connection for ever without the read
 * deadlines; a client that never reads our replies would block a write for ever without the watchdog.
 */
class SessionDeadlinesIT {

    @TempDir
    Path data;

    private static SmtpLimits limits(Object... keysAndValues) {
        SmtpLimits limits = SmtpLimits.defaults();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            limits = TestLimits.with(limits, (String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return limits;
    }

    @Test
    void aCommandLineDribbledOutIsClosedWith421() throws Exception {
        SmtpLimits limits = limits("command_rate_grace", Duration.ofSeconds(1), "min_command_rate", 2);
        try (TernFixture tern = TernFixture.start(data, limits);
             SmtpTestClient client = new SmtpTestClient(tern.port())) {
            assertThat(client.reply()).startsWith("220 ");
            // One octet every 700 ms: each read is quick, so only the line's own deadline can stop it.
            String reply = dribble(client, "EHLO a-rather-long-name-for-a-client.example\r\n", 700);
            assertThat(reply).isEqualTo("421 4.4.2 Command line too slow, closing connection");
        }
    }

    @Test
    void aTypistIsNotTooSlow() throws Exception {
        SmtpLimits limits = limits("command_rate_grace", Duration.ofSeconds(1), "min_command_rate", 2);
        try (TernFixture tern = TernFixture.start(data, limits);
             SmtpTestClient client = new SmtpTestClient(tern.port())) {
            assertThat(client.reply()).startsWith("220 ");
            assertThat(dribble(client, "NOOP\r\n", 150)).startsWith("250 ");
        }
    }

    @Test
    void messageDataDribbledOutEndsAtTheSessionLimit() throws Exception {
        SmtpLimits limits = limits("session_timeout", Duration.ofSeconds(2));
        try (TernFixture tern = TernFixture.start(data, limits);
             SmtpTestClient client = new SmtpTestClient(tern.port())) {
            beginTransaction(client);
            assertThat(client.command("DATA")).startsWith("354 ");
            long started = System.nanoTime();
            String reply = dribble(client, "x".repeat(200), 100); // 20 s of data, one octet per 100 ms
            assertThat(reply).isEqualTo("421 4.4.2 Session time limit exceeded, closing connection");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void anEndlessBdatChunkEndsAtTheSessionLimit() throws Exception {
        SmtpLimits limits = limits("session_timeout", Duration.ofSeconds(2));
        try (TernFixture tern = TernFixture.start(data, limits);
             SmtpTestClient client = new SmtpTestClient(tern.port())) {
            beginTransaction(client);
            client.send("BDAT 999999999999999999 LAST\r\n");
            String reply = dribble(client, "y".repeat(200), 100);
            assertThat(reply).isEqualTo("421 4.4.2 Session time limit exceeded, closing connection");
        }
    }

    @Test
    void aClientThatNeverReadsIsClosedByTheWatchdog() throws Exception {
        SmtpLimits limits = limits("write_timeout", Duration.ofSeconds(2), "max_errors", 1000);
        try (TernFixture tern = TernFixture.start(data, limits);
             Socket socket = new Socket("127.0.0.1", tern.port())) {
            socket.setReceiveBufferSize(4096); // keep what the kernel buffers for us small
            OutputStream out = socket.getOutputStream();
            byte[] helps = "HELP\r\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
            long started = System.nanoTime();
            boolean closed = false;
            // Each HELP costs 6 octets and is answered with ~70: the server's replies back up long before
            // our commands do. We never read; the watchdog must close the connection.
            while (!closed && System.nanoTime() - started < Duration.ofSeconds(60).toNanos()) {
                try {
                    out.write(helps);
                    out.flush();
                } catch (SocketException e) {
                    closed = true;
                }
            }
            assertThat(closed).as("the server closed the connection of a client that never reads").isTrue();
        }
    }

    @Test
    void underStressIdleAndDribblingClientsMakeRoomForOneThatSendsMail() throws Exception {
        int max = 200;
        SmtpLimits limits = limits("max_connections", max, "max_connections_per_client", max,
                "stress_command_timeout", Duration.ofSeconds(2), "command_rate_grace", Duration.ofSeconds(2));
        try (TernFixture tern = TernFixture.start(data, limits)) {
            List<Socket> idle = new ArrayList<>();
            List<Socket> dribblers = new ArrayList<>();
            try {
                for (int i = 0; i < max; i++) {
                    Socket socket = new Socket("127.0.0.1", tern.port());
                    socket.setSoTimeout(30_000);
                    (i % 2 == 0 ? idle : dribblers).add(socket);
                    readLine(socket.getInputStream()); // its 220: the permit is taken
                }
                // Every permit is held. Without stress the idle ones would keep theirs for command_timeout (5m),
                // and a dribbler, whose every octet restarts a read, for ever.
                String served = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
                long lastDribble = 0;
                while (served == null && System.nanoTime() < deadline) {
                    if (System.nanoTime() - lastDribble > Duration.ofSeconds(1).toNanos()) {
                        lastDribble = System.nanoTime();
                        for (Socket socket : dribblers) {
                            trySend(socket, "N"); // an octet a second: a NOOP in four seconds, never whole
                        }
                    }
                    served = tryToSendMail(tern.port());
                }
                assertThat(served).startsWith("250 2.0.0");
                // Idle clients are dropped while the server is under stress, which ends once fewer than 75 %
                // of the permits are in use: at least a quarter of them (50) go, and each is told why.
                List<String> idleLines = firstLines(idle, Duration.ofMillis(200));
                assertThat(idleLines.stream().filter(line -> line.equals("421 4.4.2 Timeout, closing connection")))
                        .hasSizeGreaterThanOrEqualTo(max / 4);
                assertThat(idleLines).allMatch(line -> line.equals("null") || line.startsWith("421 4.4.2 Timeout"));
                // Each dribbler goes too: for its slow line, or for a pause longer than the stress timeout.
                assertThat(firstLines(dribblers, Duration.ofSeconds(10))).allMatch(line ->
                        line.equals("421 4.4.2 Command line too slow, closing connection")
                                || line.equals("421 4.4.2 Timeout, closing connection"));
            } finally {
                for (Socket socket : idle) {
                    socket.close();
                }
                for (Socket socket : dribblers) {
                    socket.close();
                }
            }
        }
    }

    /** The next line of each socket, or "null" where none came within {@code wait}. */
    private static List<String> firstLines(List<Socket> sockets, Duration wait) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Socket socket : sockets) {
            socket.setSoTimeout((int) wait.toMillis());
            lines.add(String.valueOf(readLineQuietly(socket)));
        }
        return lines;
    }


    /** Greeting, EHLO, MAIL and RCPT, each accepted. */
    private static void beginTransaction(SmtpTestClient client) throws IOException {
        assertThat(client.reply()).startsWith("220 ");
        assertThat(client.command("EHLO c.example")).startsWith("250 ");
        assertThat(client.command("MAIL FROM:<a@remote.example>")).startsWith("250 ");
        assertThat(client.command("RCPT TO:<alice@localhost>")).startsWith("250 ");
    }

    /** Connects and sends one message, or returns null when the server is still full (421 at connect). */
    private static String tryToSendMail(int port) throws Exception {
        try (SmtpTestClient client = new SmtpTestClient(port)) {
            String greeting = client.reply();
            if (greeting == null || !greeting.startsWith("220")) {
                Thread.sleep(250);
                return null;
            }
            client.command("EHLO busy.example");
            return client.sendMessage("a@remote.example", "alice@localhost", "Subject: served\r\n\r\nhi");
        }
    }

    /** Sends {@code text} one octet every {@code pauseMillis}; returns the first reply line, or null. */
    private static String dribble(SmtpTestClient client, String text, long pauseMillis) throws Exception {
        for (int i = 0; i < text.length(); i++) {
            try {
                client.send(text.substring(i, i + 1));
            } catch (IOException e) {
                break; // closed by the server: its reply is waiting to be read
            }
            Thread.sleep(pauseMillis);
            if (client.hasReplyWaiting()) {
                break;
            }
        }
        return client.reply();
    }

    private static void trySend(Socket socket, String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException closed) {
            // dropped by the server: that is what the test waits for
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.append((char) b);
        }
        return b < 0 && line.isEmpty() ? null : line.toString().strip();
    }

    private static String readLineQuietly(Socket socket) {
        try {
            return readLine(socket.getInputStream());
        } catch (IOException e) {
            return null;
        }
    }
}
