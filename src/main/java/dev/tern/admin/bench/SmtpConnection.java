package dev.tern.admin.bench;

import dev.tern.smtp.protocol.Reply;
import dev.tern.smtp.protocol.ReplyReader;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One client connection of the load generator: a plain blocking socket that speaks just enough ESMTP
 * to send messages (RFC 5321 §3.3), with optional command pipelining (RFC 2920).
 */
final class SmtpConnection implements Closeable {

    private static final byte[] END_OF_DATA = {'.', '\r', '\n'};

    private final Socket socket;
    /** The one reply reader of smtp.protocol; it buffers on its own (no stream lock per octet). */
    private final ReplyReader replies;
    private final OutputStream out;
    private boolean pipelining;

    private SmtpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.replies = new ReplyReader(socket.getInputStream());
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
            Reply ehlo = c.command("EHLO " + ehloName);
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
    Optional<Reply> send(String sender, List<String> recipients, byte[] message, boolean pipeline)
            throws IOException {
        return pipeline && pipelining
                ? sendPipelined(sender, recipients, message)
                : sendInLockStep(sender, recipients, message);
    }

    private Optional<Reply> sendInLockStep(String sender, List<String> recipients, byte[] message)
            throws IOException {
        Reply mail = command("MAIL FROM:<" + sender + ">");
        if (!positive(mail)) {
            return Optional.of(mail);
        }
        Reply refused = null;
        int accepted = 0;
        for (String rcpt : recipients) {
            Reply r = command("RCPT TO:<" + rcpt + ">");
            if (positive(r)) {
                accepted++;
            } else if (refused == null) {
                refused = r;
            }
        }
        if (accepted == 0) {
            return Optional.of(refused);
        }
        Reply data = command("DATA");
        if (data.code() != 354) {
            return Optional.of(data);
        }
        Reply end = data(message);
        return Optional.ofNullable(refused != null ? refused : positive(end) ? null : end);
    }

    /** RFC 2920 §3.1: MAIL, RCPT and DATA go in one group; DATA is the last command of the group. */
    private Optional<Reply> sendPipelined(String sender, List<String> recipients, byte[] message)
            throws IOException {
        write("MAIL FROM:<" + sender + ">");
        for (String rcpt : recipients) {
            write("RCPT TO:<" + rcpt + ">");
        }
        write("DATA");
        out.flush();
        Reply refused = null;
        Reply mail = read();
        if (!positive(mail)) {
            refused = mail;
        }
        for (int i = 0; i < recipients.size(); i++) {
            Reply r = read();
            if (!positive(r) && refused == null) {
                refused = r;
            }
        }
        Reply data = read();
        if (data.code() != 354) {
            return Optional.of(refused != null ? refused : data);
        }
        Reply end = data(message);
        return Optional.ofNullable(refused != null ? refused : positive(end) ? null : end);
    }

    /** Sends the message text and the final dot line, and reads the reply to the whole message. */
    private Reply data(byte[] message) throws IOException {
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

    Reply command(String line) throws IOException {
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
    Reply read() throws IOException {
        return replies.read();
    }

    /** 2yz: the command was accepted (RFC 5321 §4.2.1); a 3yz is not an acceptance here. */
    static boolean positive(Reply reply) {
        return reply.code() >= 200 && reply.code() < 300;
    }

    /**
     * The reply on one line for the report: the code, then every line's text with its enhanced code,
     * {@code 550 5.1.1 no such user / 5.1.1 second line}, as the bench has always printed it.
     */
    static String describe(Reply reply) {
        StringBuilder out = new StringBuilder().append(reply.code()).append(' ');
        for (int i = 0; i < reply.lines().size(); i++) {
            out.append(i == 0 ? "" : " / ").append(reply.enhanced() == null ? "" : reply.enhanced() + " ")
                    .append(reply.lines().get(i));
        }
        return out.toString();
    }

    private static void expect(Reply reply, int code) throws UnexpectedReply {
        if (reply.code() != code) {
            throw new UnexpectedReply(reply);
        }
    }

    /** A reply that ends the connection's usefulness: a refused greeting, EHLO or RSET. */
    static final class UnexpectedReply extends IOException {
        private final transient Reply reply;

        UnexpectedReply(Reply reply) {
            super(describe(reply));
            this.reply = reply;
        }

        Reply reply() {
            return reply;
        }
    }
}
