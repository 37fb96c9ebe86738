package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.ListenerSettings;
import dev.tern.config.TernConfig;
import dev.tern.mail.IpNetwork;
import dev.tern.store.FileDirectory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tern behind a real HAProxy (Debian's {@code haproxy}, installed by .ci/run): the header of each PROXY protocol
 * version, on a plain listener and on an implicit-TLS one (where the header must be read without touching the
 * ClientHello behind it), names the real client, and that client is the one Tern records.
 *
 * <p>Loopback has room for three parties: the client connects from 127.0.0.2, HAProxy connects on to Tern from
 * 127.0.0.3 (the only proxy network configured), and 127.0.0.1 is a stranger trying Tern directly.
 */
class ProxyProtocolIT {

    private static final InetAddress CLIENT = address("127.0.0.2");
    private static final String PROXY = "127.0.0.3";

    @TempDir
    static Path data;
    @TempDir
    static Path haproxyDir;
    static Tern tern;
    static Process haproxy;
    static int v1Port;
    static int v2Port;
    static int tlsPort;

    @BeforeAll
    static void start() throws Exception {
        ListenerSettings.Proxy proxy = new ListenerSettings.Proxy(true, List.of(IpNetwork.parse(PROXY + "/32")),
                Duration.ofSeconds(5));
        TernConfig config = TernConfig.defaults("mx.tern.test", data).withListeners(List.of(
                new ListenerSettings("mx", ListenerSettings.Role.MX, "127.0.0.1", 0, proxy),
                new ListenerSettings("submissions", ListenerSettings.Role.SUBMISSIONS, "127.0.0.1", 0, proxy)));
        new FileDirectory(data, config.domains()).addUser("alice@localhost", "unused");
        tern = Tern.start(config);
        v1Port = freePort();
        v2Port = freePort();
        tlsPort = freePort();
        haproxy = startHaproxy();
    }

    @AfterAll
    static void stop() throws Exception {
        if (haproxy != null) {
            haproxy.destroy();
            haproxy.waitFor(10, TimeUnit.SECONDS);
        }
        if (tern != null) {
            tern.close();
        }
    }

    @Test
    void versionOneNamesTheRealClientInReceived() throws Exception {
        String received = deliverThrough(v1Port, false, "v1");
        assertThat(received).contains("[127.0.0.2]").doesNotContain(PROXY);
    }

    @Test
    void versionTwoNamesTheRealClientInReceived() throws Exception {
        String received = deliverThrough(v2Port, false, "v2");
        assertThat(received).contains("[127.0.0.2]").doesNotContain(PROXY);
    }

    @Test
    void theHeaderBeforeImplicitTlsLeavesTheHandshakeIntact() throws Exception {
        try (SmtpTestClient client = SmtpTestClient.over(fromClient(tlsPort), true)) {
            assertThat(client.reply()).startsWith("220 mx.tern.test");
            assertThat(client.tlsProtocol()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(client.command("QUIT")).startsWith("221");
        }
    }

    @Test
    void aConnectionFromOutsideTheProxyNetworksGetsNoGreeting() throws Exception {
        try (Socket direct = new Socket("127.0.0.1", tern.port("mx"))) {
            direct.setSoTimeout(10_000);
            // Even a well-formed header is no use from an address that is not a proxy's.
            direct.getOutputStream().write("PROXY TCP4 192.0.2.1 127.0.0.1 4000 25\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(direct.getInputStream().read()).isEqualTo(-1);
        }
    }

    private static String deliverThrough(int port, boolean tls, String tag) throws Exception {
        try (SmtpTestClient client = SmtpTestClient.over(fromClient(port), tls)) {
            assertThat(client.reply()).startsWith("220 mx.tern.test");
            assertThat(client.command("EHLO client.tern.test")).startsWith("250 ");
            assertThat(client.command("MAIL FROM:<someone@remote.test>")).startsWith("250");
            assertThat(client.command("RCPT TO:<alice@localhost>")).startsWith("250");
            assertThat(client.command("DATA")).startsWith("354");
            assertThat(client.command("Subject: " + tag + "\r\n\r\nthrough the proxy\r\n.")).startsWith("250");
            client.command("QUIT");
        }
        Path newDir = data.resolve("mail/localhost/alice/new");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (Path file : TernFixture.list(newDir)) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                if (text.contains("Subject: " + tag + "\r\n")) {
                    return text.substring(0, text.indexOf("\r\n\r\n"));
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the message sent through the " + tag + " proxy was not delivered");
    }

    /** A connection to HAProxy from the client's own loopback address. */
    private static Socket fromClient(int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(CLIENT, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        return socket;
    }

    private static Process startHaproxy() throws Exception {
        Path haproxyBin = Path.of("/usr/sbin/haproxy");
        if (!Files.isExecutable(haproxyBin)) {
            throw new AssertionError("haproxy is not installed (Debian package haproxy; .ci/run installs it)");
        }
        Path cfg = haproxyDir.resolve("haproxy.cfg");
        Files.writeString(cfg, """
                global
                    maxconn 100
                defaults
                    mode tcp
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                frontend v1
                    bind 127.0.0.1:%d
                    default_backend tern_v1
                frontend v2
                    bind 127.0.0.1:%d
                    default_backend tern_v2
                frontend tls
                    bind 127.0.0.1:%d
                    default_backend tern_tls
                backend tern_v1
                    server tern 127.0.0.1:%d send-proxy source %s
                backend tern_v2
                    server tern 127.0.0.1:%d send-proxy-v2 source %s
                backend tern_tls
                    server tern 127.0.0.1:%d send-proxy-v2 source %s
                """.formatted(v1Port, v2Port, tlsPort, tern.port("mx"), PROXY, tern.port("mx"), PROXY,
                tern.port("submissions"), PROXY));
        Process process = new ProcessBuilder(haproxyBin.toString(), "-db", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(haproxyDir.resolve("haproxy.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int port : new int[] {v1Port, v2Port, tlsPort}) {
            while (!listening(port)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("haproxy did not start: " + Files.readString(haproxyDir.resolve("haproxy.log")));
                }
                Thread.sleep(50);
            }
        }
        return process;
    }

    private static boolean listening(int port) {
        try (Socket probe = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
