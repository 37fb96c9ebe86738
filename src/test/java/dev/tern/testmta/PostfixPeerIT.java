package dev.tern.testmta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.tls.TestPki;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture itself: what the delivery tests rely on when they start, restart and read a {@link PostfixPeer}. */
class PostfixPeerIT {

    @TempDir
    Path dir;

    @Test
    void restartingKeepsThePortAndTheMailAndOffersTheNewCertificate() throws Exception {
        TestPki pki = new TestPki();
        Path firstChain = dir.resolve("first.pem");
        Path firstKey = dir.resolve("first-key.pem");
        TestPki.write(pki.issue("mx.far.test", List.of("mx.far.test"), false), TestPki.KeyForm.PKCS8,
                firstChain, firstKey);
        Path secondChain = dir.resolve("second.pem");
        Path secondKey = dir.resolve("second-key.pem");
        TestPki.write(pki.issue("mx2.far.test", List.of("mx2.far.test"), true), TestPki.KeyForm.PKCS8,
                secondChain, secondKey);
        PostfixSettings settings = PostfixSettings.forDomain("far.test", "mx.far.test").withMailbox("bob")
                .withCertificate(firstChain, firstKey);

        try (PostfixPeer postfix = PostfixPeer.start(settings)) {
            int port = postfix.port();
            assertThat(certificateName(port)).isEqualTo("CN=mx.far.test");
            List<String> replies = deliverInPlaintext(port, "bob@far.test", "carol@far.test");
            assertThat(replies.get(0)).as("bob has a mailbox").startsWith("250 ");
            assertThat(replies.get(1)).as("carol has none").startsWith("550 5.1.1 ");
            assertThat(postfix.awaitMessages(1, Duration.ofSeconds(20))).singleElement().asString()
                    .contains("Delivered-To: bob@far.test\n").contains("with ESMTP id ").endsWith("\nHello.\n");

            postfix.restartWithCertificate(secondChain, secondKey);

            assertThat(postfix.port()).isEqualTo(port);
            assertThat(certificateName(port)).isEqualTo("CN=mx2.far.test");
            assertThat(postfix.maildirMessages()).hasSize(1);
            assertThat(postfix.log()).anyMatch(l -> l.contains("status=sent (delivered to maildir)"))
                    .anyMatch(l -> l.contains("stopping the Postfix mail system"));
        }
    }

    @Test
    void aStartPostfixRefusesFailsWithPostfixsOwnWords() {
        PostfixSettings bad = PostfixSettings.forDomain("far.test", "mx.far.test").with("inet_protocols", "ipv5");

        assertThatThrownBy(() -> PostfixPeer.start(bad)).isInstanceOf(IOException.class)
                .hasMessageContaining("exited with").hasMessageContaining("fatal").hasMessageContaining("ipv5");
    }

    /** EHLO, then one transaction with two recipients; returns the two RCPT replies. */
    private static List<String> deliverInPlaintext(int port, String to, String unknown) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            reply(in);
            command(out, in, "EHLO client.test");
            command(out, in, "MAIL FROM:<alice@a.test>");
            String first = command(out, in, "RCPT TO:<" + to + ">");
            String second = command(out, in, "RCPT TO:<" + unknown + ">");
            command(out, in, "DATA");
            command(out, in, "Subject: plain\r\n\r\nHello.\r\n.");
            command(out, in, "QUIT");
            return List.of(first, second);
        }
    }

    private static String command(OutputStream out, BufferedReader in, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply(in);
    }

    /** The last line of a reply. */
    private static String reply(BufferedReader in) throws IOException {
        String line;
        do {
            line = in.readLine();
        } while (line != null && line.length() > 3 && line.charAt(3) == '-');
        return String.valueOf(line);
    }

    /** The subject of the certificate Postfix shows after STARTTLS (any certificate taken: only its name matters). */
    private static String certificateName(int port) throws Exception {
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port)) {
            plain.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(plain.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = plain.getOutputStream();
            reply(in);
            command(out, in, "EHLO client.test");
            assertThat(command(out, in, "STARTTLS")).startsWith("220 ");
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AnyServer()}, null);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "mx.far.test", port,
                    false)) {
                tls.setUseClientMode(true);
                tls.startHandshake();
                return ((X509Certificate) tls.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                        .getName();
            }
        }
    }

    private static final class AnyServer implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
