package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.ListenerSettings;
import dev.tern.policy.RecipientPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every dialogue script of {@link DialogueTest}, run again against a real {@link SmtpServer} on a loopback
 * port (0: a free one) with the same harness settings, so what only a socket does is covered by the same
 * scripts: replies flushed by the session rather than collected from memory, the client's half-close
 * (shutdownOutput) as the end of input, and a pipelined group cut into TCP segments at every few octets.
 *
 * <p>An integration test, not a unit test: it binds sockets and runs the server's accept loop and virtual
 * threads, as the other loopback tests ({@code *IT}) do, and stays out of the quick in-memory loop.
 *
 * <p>Over loopback the client is 127.0.0.1, not the harness's 192.0.2.1: the scripts' expectations that
 * name the client's address and their trusted networks are moved to loopback (client lines are left as
 * they are). Scripts that cannot run over a plain socket are named in {@link #NOT_OVER_A_SOCKET} with the
 * reason, and reported as such.
 */
class DialogueSocketIT {

    /** Segment size for the second run of each script: small, so lines and CRLFs are split across reads. */
    private static final int SEGMENT = 7;

    /**
     * {@code set tls} stands for a session that is already encrypted from its first octet. Over a socket that
     * is a TLS handshake the script does not describe (implicit TLS is another listener role, STARTTLS another
     * dialogue), and the TLS transport has its own loopback tests (StartTls and implicit-TLS ITs).
     * {@code set rate} sets per-client rate limits, which exempt loopback clients: over a socket here the
     * client is always 127.0.0.1 (RateLimitIT shows the limits over real sockets). Each reason begins with the
     * script line that makes it so, which the placeholder test checks is still there.
     */
    static final Map<String, String> NOT_OVER_A_SOCKET = Map.of(
            "29-auth-plain-login.txt", "set tls: needs a TLS handshake before the script's first line",
            "31-auth-lockout.txt", "set tls: needs a TLS handshake before the script's first line",
            "32-auth-errors.txt", "set tls: needs a TLS handshake before the script's first line",
            "33-auth-account-throttled.txt", "set tls: needs a TLS handshake before the script's first line",
            "46-lf-data-authenticated.txt", "set tls: needs a TLS handshake before the script's first line",
            "51-requiretls-under-tls.txt", "set tls: needs a TLS handshake before the script's first line",
            "53-requiretls-submission.txt", "set tls: needs a TLS handshake before the script's first line",
            "49-rate-limits.txt", "set rate: loopback clients are exempt from per-client rate limits");

    @TestFactory
    Stream<DynamicTest> dialoguesOverASocket() throws IOException, URISyntaxException {
        Path dir = Path.of(DialogueSocketIT.class.getResource("/dialogues").toURI());
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.sorted().toList();
        }
        assertThat(NOT_OVER_A_SOCKET.keySet()).as("scripts named as not run over a socket exist")
                .allMatch(name -> files.stream().anyMatch(f -> f.getFileName().toString().equals(name)));
        return files.stream().flatMap(file -> {
            String name = file.getFileName().toString();
            String why = NOT_OVER_A_SOCKET.get(name);
            if (why != null) {
                return Stream.of(DynamicTest.dynamicTest(name + " (not over a socket: " + why + ")", () -> {
                    String marker = why.substring(0, why.indexOf(':'));
                    assertThat(Files.readAllLines(file)).as(name + " still says " + marker)
                            .anyMatch(line -> line.startsWith(marker));
                }));
            }
            return Stream.of(
                    DynamicTest.dynamicTest(name + " in one write", () -> run(file, Integer.MAX_VALUE)),
                    DynamicTest.dynamicTest(name + " in " + SEGMENT + "-octet segments", () -> run(file, SEGMENT)));
        });
    }

    private static void run(Path file, int segment) throws IOException {
        List<String> script = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(DialogueSocketIT::toLoopback).toList();
        DialogueTest.runScript(file, script, (harness, client) -> overSocket(harness, client, segment));
    }

    /** The harness's client address (192.0.2.1) in expectations and trusted networks becomes loopback's. */
    static String toLoopback(String line) {
        if (line.startsWith("set trusted ")) {
            return line.replace("192.0.2.0/24", "127.0.0.0/8");
        }
        if (line.startsWith("< ") || line.startsWith("<... ") || line.startsWith("= ")) {
            return line.replace("192.0.2.1", "127.0.0.1");
        }
        return line;
    }

    /**
     * Starts a server with the harness's settings and spool, writes the client's bytes (in segments of
     * {@code segment} octets, each flushed) while reading every reply, half-closes, and reads to the end.
     */
    private static List<String> overSocket(SessionHarness harness, byte[] client, int segment) throws IOException {
        ConnectionLimiter limiter = new ConnectionLimiter(10, 10);
        ListenerSettings listener = new ListenerSettings("dialogue", harness.role, "127.0.0.1", 0);
        try (SmtpServer server = new SmtpServer(listener, harness.settings(), harness.target,
                new RecipientPolicy(new FakeDirectory()), limiter, null)) {
            server.start();
            byte[] received;
            try (Socket socket = new Socket()) {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(socket, client, segment),
                        runnable -> Thread.ofVirtual().start(runnable));
                received = readToEnd(socket.getInputStream());
                writer.join();
            }
            awaitSessionEnd(limiter);
            String text = new String(received, StandardCharsets.UTF_8);
            List<String> lines = Arrays.asList(text.split("\r\n", -1));
            return text.isEmpty() ? List.of() : lines.subList(0, lines.size() - 1);
        }
    }

    private static void write(Socket socket, byte[] client, int segment) {
        try {
            OutputStream out = socket.getOutputStream();
            for (int at = 0; at < client.length; at += segment) {
                out.write(client, at, Math.min(segment, client.length - at));
                out.flush();
            }
            socket.shutdownOutput(); // the end of input, as the in-memory transport's end of stream
        } catch (SocketException e) {
            // The server closed first (221, 421) while input was left: what it said is read all the same.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads until the server closes. A reset after its close (it left our input unread, so its TCP answered
     * with RST) ends the reading too: on Linux what arrived before the reset is read first.
     */
    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketException e) {
            if (!String.valueOf(e.getMessage()).contains("reset")) {
                throw e;
            }
        }
        return all.toByteArray();
    }

    /**
     * The session gives its permit back after it closed its socket and its draft; waiting for that keeps
     * the spool checks (open drafts) from racing the server's thread. Bounded, so a stuck session fails.
     */
    private static void awaitSessionEnd(ConnectionLimiter limiter) {
        for (int i = 0; i < 10_000 && limiter.active() > 0; i++) {
            Thread.onSpinWait();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        assertThat(limiter.active()).as("the session ended").isZero();
    }
}
