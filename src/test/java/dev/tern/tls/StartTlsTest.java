package dev.tern.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The STARTTLS upgrade (RFC 3207) of a connected plain socket, as the SMTP session will do it. */
class StartTlsTest {

    @TempDir
    Path dir;

    /** What the server side saw: the first line read over TLS and the negotiated session. */
    record ServerView(String firstTlsLine, TlsSession session) {
    }

    @Test
    void upgradesAConnectedSocketAndDiscardsWhatWasSentInPlain() throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued issued = pki.issue("mx.example", List.of("mx.example"), false);
        Path chain = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        TestPki.write(issued, TestPki.KeyForm.LEGACY, chain, key);
        ServerTls tls = ServerTls.create(List.of(TlsCertificates.watch(chain, key)));

        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CompletableFuture<ServerView> server = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> serveOne(listener, tls, server));

            try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                plain.setSoTimeout(20_000);
                // A command injected behind STARTTLS in the same packet (CVE-2011-0411 style) must be
                // lost with the plain buffer, never read as if it came over TLS.
                plain.getOutputStream().write("STARTTLS\r\nMAIL FROM:<injected@evil.example>\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(readLine(plain.getInputStream())).isEqualTo("220 2.0.0 Ready to start TLS");

                SSLSocket client = (SSLSocket) pki.clientContext().getSocketFactory()
                        .createSocket(plain, "mx.example", plain.getPort(), true);
                client.setUseClientMode(true);
                Loopback.configure(client, "mx.example", List.of(), List.of());
                client.startHandshake();
                client.getOutputStream().write("EHLO client.example\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(readLine(client.getInputStream())).isEqualTo("250 mx.example");
                assertThat(client.getSession().getPeerCertificates()[0]).isEqualTo(issued.cert());
                client.close();
            }
            ServerView view = server.get(20, TimeUnit.SECONDS);
            assertThat(view.firstTlsLine()).isEqualTo("EHLO client.example");
            assertThat(view.session().protocol()).isEqualTo("TLSv1.3");
            assertThat(view.session().serverName()).isEqualTo("mx.example");
            assertThat(view.session().receivedComment()).startsWith("using TLSv1.3 with cipher TLS_");
        }
    }

    /** A server session reading through its own buffer, which it drops at STARTTLS (RFC 3207 section 4.2). */
    private static void serveOne(ServerSocket listener, ServerTls tls, CompletableFuture<ServerView> result) {
        try (Socket socket = listener.accept()) {
            socket.setSoTimeout(20_000);
            InputStream buffered = new BufferedInputStream(socket.getInputStream());
            String command = readLine(buffered);
            if (!command.equals("STARTTLS")) {
                throw new IOException("unexpected " + command);
            }
            reply(socket.getOutputStream(), "220 2.0.0 Ready to start TLS");
            try (SSLSocket tlsSocket = tls.upgrade(socket)) {
                String line = readLine(tlsSocket.getInputStream());
                reply(tlsSocket.getOutputStream(), "250 mx.example");
                result.complete(new ServerView(line, TlsSession.describe(tlsSocket)));
            }
        } catch (IOException | RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one CRLF line byte by byte (unbuffered, so nothing past the line is taken). */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("end of stream after " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
