package dev.tern.admin.bench;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One client connection of the load generator: a plain blocking socket that speaks just enough ESMTP
 * to send messages (RFC 5321 §3.3), with optional command pipelining (RFC 2920).
 */
final class SmtpConnection implements Closeable {

    /** A reply line longer than this is not SMTP (RFC 5321 §4.5.3.1.5 allows 512). */
    private static final int MAX_REPLY_LINE = 4096;
    private static final byte[] END_OF_DATA = {'.', '\r', '\n'};

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** Our own read buffer: replies are read a byte at a time, without a stream's lock per byte. */
    private final byte[] readBuffer = new byte[4096];
    private int readPos;
    private int readEnd;
    private boolean pipelining;

    private SmtpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    /** Connects, reads the greeting and says EHLO; a refusing reply becomes an {@link UnexpectedReply}. */
    static SmtpConnection open(String host, int port, Duration timeout, String ehloName) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            SmtpConnection c = new SmtpConnection(socket);
            expect(c.read(), 220);
            ServerReply ehlo = c.command("EHLO " + ehloName);
            expect(ehlo, 250);
            // RFC 5321 §4.1.1.1: the first line names the server, the others are extension keywords.
            c.pipelining = ehlo.lines().stream().skip(1)
                    .anyMatch(l -> l.trim().toUpperCase(java.util.Locale.ROOT).startsWith("PIPELINING"));
            return c;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    boolean offersPipelining() {
        return pipelining;
    }

    /**
     * Sends one message: MAIL, one RCPT per recipient, DATA and the message text.
     *
     * @param message the dot-stuffed message text ending in CRLF, without the final dot line
     * @return the first reply that refused part of the transaction, or empty when the 250 after the
     *         data came back and every recipient was accepted
     */
    Optional<ServerReply> send(String sender, List<String> recipients, byte[] message, boolean pipeline)
            throws IOException {
        return pipeline && pipelining
                ? sendPipelined(sender, recipients, message)
                : sendInLockStep(sender, recipients, message);
    }

    private Optional<ServerReply> sendInLockStep(String sender, List<String> recipients, byte[] message)
            throws IOException {
        ServerReply mail = command("MAIL FROM:<" + sender + ">");
        if (!mail.positive()) {
            return Optional.of(mail);
        }
        ServerReply refused = null;
        int accepted = 0;
        for (String rcpt : recipients) {
            ServerReply r = command("RCPT TO:<" + rcpt + ">");
            if (r.positive()) {
                accepted++;
            } else if (refused == null) {
                refused = r;
            }
        }
        if (accepted == 0) {
            return Optional.of(refused);
        }
        ServerReply data = command("DATA");
        if (data.code() != 354) {
            return Optional.of(data);
        }
        ServerReply end = data(message);
        return Optional.ofNullable(refused != null ? refused : end.positive() ? null : end);
    }

    /** RFC 2920 §3.1: MAIL, RCPT and DATA go in one group; DATA is the last command of the group. */
    private Optional<ServerReply> sendPipelined(String sender, List<String> recipients, byte[] message)
            throws IOException {
        write("MAIL FROM:<" + sender + ">");
        for (String rcpt : recipients) {
            write("RCPT TO:<" + rcpt + ">");
        }
        write("DATA");
        out.flush();
        ServerReply refused = null;
        ServerReply mail = read();
        if (!mail.positive()) {
            refused = mail;
        }
        for (int i = 0; i < recipients.size(); i++) {
            ServerReply r = read();
            if (!r.positive() && refused == null) {
                refused = r;
            }
        }
        ServerReply data = read();
        if (data.code() != 354) {
            return Optional.of(refused != null ? refused : data);
        }
        ServerReply end = data(message);
        return Optional.ofNullable(refused != null ? refused : end.positive() ? null : end);
    }

    /** Sends the message text and the final dot line, and reads the reply to the whole message. */
    private ServerReply data(byte[] message) throws IOException {
        out.write(message);
        out.write(END_OF_DATA);
        out.flush();
        return read();
    }

    /** RSET after a refused transaction, so the next one starts clean (RFC 5321 §4.1.1.5). */
    void reset() throws IOException {
        expect(command("RSET"), 250);
    }

    /** QUIT and close; the server's 221 is read but not required. */
    void quit() {
        try {
            command("QUIT");
        } catch (IOException ignored) {
            // The connection is going away either way.
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing to recover: the benchmark opens a new connection if it needs one.
        }
    }

    ServerReply command(String line) throws IOException {
        write(line);
        out.flush();
        return read();
    }

    private void write(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
    }

    /** Reads one reply, following continuation lines ({@code 250-}) to the last line (RFC 5321 §4.2.1). */
    ServerReply read() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line.length() < 3 || !isCode(line) || (line.length() > 3 && " -".indexOf(line.charAt(3)) < 0)) {
                throw new IOException("malformed reply line: " + line);
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new ServerReply(Integer.parseInt(line.substring(0, 3)), lines);
            }
        }
    }

    private static boolean isCode(String line) {
        return Character.isDigit(line.charAt(0)) && Character.isDigit(line.charAt(1))
                && Character.isDigit(line.charAt(2));
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
        while (true) {
            if (readPos == readEnd) {
                readEnd = in.read(readBuffer);
                readPos = 0;
                if (readEnd < 0) {
                    readEnd = 0;
                    throw new IOException("connection closed by the server");
                }
            }
            byte b = readBuffer[readPos++];
            if (b == '\n') {
                byte[] bytes = buf.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.US_ASCII);
            }
            if (buf.size() >= MAX_REPLY_LINE) {
                throw new IOException("reply line longer than " + MAX_REPLY_LINE + " octets");
            }
            buf.write(b);
        }
    }

    private static void expect(ServerReply reply, int code) throws UnexpectedReply {
        if (reply.code() != code) {
            throw new UnexpectedReply(reply);
        }
    }

    /** A reply that ends the connection's usefulness: a refused greeting, EHLO or RSET. */
    static final class UnexpectedReply extends IOException {
        private final transient ServerReply reply;

        UnexpectedReply(ServerReply reply) {
            super(reply.toString());
            this.reply = reply;
        }

        ServerReply reply() {
            return reply;
        }
    }
}
