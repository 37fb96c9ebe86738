package dev.tern.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A minimal line-level SMTP client for integration tests: send a line, read a whole reply. */
final class SmtpTestClient implements AutoCloseable {

    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    SmtpTestClient(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
    }

    private SmtpTestClient(Socket socket) throws IOException {
        use(socket);
    }

    /** Over a socket the test connected itself (from a chosen local address, say). */
    static SmtpTestClient over(Socket socket, boolean implicitTls) throws IOException {
        return new SmtpTestClient(implicitTls ? handshake(socket) : socket);
    }

    /** Connects with implicit TLS (RFC 8314), trusting any certificate (tests only). */
    static SmtpTestClient implicitTls(int port) throws IOException {
        Socket plain = new Socket("127.0.0.1", port);
        return new SmtpTestClient(handshake(plain));
    }

    private void use(Socket newSocket) throws IOException {
        socket = newSocket;
        socket.setSoTimeout(30_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    /** The client side of STARTTLS after the server's 220, trusting any certificate (tests only). */
    void startTls() throws IOException {
        use(handshake(socket));
    }

    /** The server's certificate chain as the TLS handshake showed it. */
    java.security.cert.Certificate[] peerCertificates() throws IOException {
        return ((javax.net.ssl.SSLSocket) socket).getSession().getPeerCertificates();
    }

    /** The negotiated protocol, e.g. TLSv1.3. */
    String tlsProtocol() {
        return ((javax.net.ssl.SSLSocket) socket).getSession().getProtocol();
    }

    private static Socket handshake(Socket plain) throws IOException {
        try {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {new TrustAll()}, null);
            javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                    .createSocket(plain, "localhost", plain.getPort(), true);
            tls.startHandshake();
            return tls;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** Accepts any server certificate: the server under test uses a self-signed one. */
    static final class TrustAll implements javax.net.ssl.X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }

    /** Reads one reply (all its lines); returns the last line, or null if the server closed. */
    String reply() throws IOException {
        String line;
        do {
            line = in.readLine();
            lastReply.add(line);
        } while (line != null && line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    /** Every line of every reply read so far. */
    final java.util.List<String> lastReply = new java.util.ArrayList<>();

    String command(String line) throws IOException {
        send(line + "\r\n");
        return reply();
    }

    void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Sends one message in one transaction; returns the reply to the end of data. */
    String sendMessage(String from, String to, String content) throws IOException {
        String mail = command("MAIL FROM:<" + from + ">");
        if (!mail.startsWith("250")) {
            return mail;
        }
        String rcpt = command("RCPT TO:<" + to + ">");
        if (!rcpt.startsWith("250")) {
            command("RSET");
            return rcpt;
        }
        String data = command("DATA");
        if (!data.startsWith("354")) {
            return data;
        }
        send(content + "\r\n.\r\n");
        return reply();
    }

    /** Whether a reply (or the end of the connection) can be read without waiting. */
    boolean hasReplyWaiting() throws IOException {
        return in.ready();
    }

    boolean closedByServer() throws IOException {
        return in.read() < 0;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
