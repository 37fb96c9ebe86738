package dev.tern.testsmtp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny SMTP server for tests of the load generator: it speaks just enough SMTP, checks that every line
 * ends in CRLF and that the text arrives dot-stuffed, and remembers what it received. With a Maildir
 * root it writes each message once per recipient into {@code root/<domain>/<local>/new/}.
 */
public final class SmtpSink implements AutoCloseable {

    /** One message as the sink decoded it. */
    public record Received(List<String> recipients, List<String> lines) {
    }

    private final ServerSocket server;
    private final boolean pipelining;
    private final String dataReply;
    private final Path maildir;
    private final AtomicInteger fileNumber = new AtomicInteger();
    public final Queue<Received> messages = new ConcurrentLinkedQueue<>();
    public final Queue<Integer> messagesPerConnection = new ConcurrentLinkedQueue<>();
    public final Queue<String> violations = new ConcurrentLinkedQueue<>();
    public final AtomicInteger quits = new AtomicInteger();

    /**
     * @param pipelining whether EHLO offers PIPELINING
     * @param dataReply  the reply to the end of data, such as {@code 250 2.0.0 ok} or {@code 451 4.3.0 later}
     * @param maildir    where to deliver, or null to only remember
     */
    public SmtpSink(boolean pipelining, String dataReply, Path maildir) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.pipelining = pipelining;
        this.dataReply = dataReply;
        this.maildir = maildir;
        Thread.ofVirtual().start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> session(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void session(Socket socket) {
        int count = 0;
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            reply(out, "220 sink ESMTP");
            List<String> rcpts = new ArrayList<>();
            while (true) {
                String line = readLine(in);
                if (line == null) {
                    break;
                }
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (verb) {
                    case "EHLO" -> reply(out, pipelining ? "250-sink\r\n250-PIPELINING\r\n250 8BITMIME" : "250-sink\r\n250 8BITMIME");
                    case "MAIL" -> {
                        rcpts.clear();
                        reply(out, "250 2.1.0 ok");
                    }
                    case "RCPT" -> {
                        rcpts.add(line.substring(line.indexOf('<') + 1, line.lastIndexOf('>')));
                        reply(out, "250 2.1.5 ok");
                    }
                    case "DATA" -> {
                        if (rcpts.isEmpty()) {
                            reply(out, "503 5.5.1 no recipients");
                            continue;
                        }
                        reply(out, "354 go ahead");
                        List<String> text = readData(in);
                        Received m = new Received(List.copyOf(rcpts), text);
                        if (dataReply.startsWith("250")) {
                            deliver(m);
                            messages.add(m);
                            count++;
                        }
                        rcpts.clear();
                        reply(out, dataReply);
                    }
                    case "RSET" -> {
                        rcpts.clear();
                        reply(out, "250 2.0.0 ok");
                    }
                    case "QUIT" -> {
                        quits.incrementAndGet();
                        messagesPerConnection.add(count);
                        count = -1;
                        reply(out, "221 2.0.0 bye");
                        return;
                    }
                    default -> {
                        violations.add("unexpected command: " + line);
                        reply(out, "500 5.5.2 what?");
                    }
                }
            }
        } catch (IOException e) {
            violations.add("sink: " + e);
        } finally {
            if (count >= 0) {
                messagesPerConnection.add(count);
            }
        }
    }

    /** Reads message text to the lone dot, undoing dot-stuffing (RFC 5321 §4.5.2). */
    private List<String> readData(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine(in);
            if (line == null) {
                throw new IOException("connection closed in DATA");
            }
            if (line.equals(".")) {
                return lines;
            }
            if (line.startsWith(".")) {
                line = line.substring(1);
            }
            lines.add(line);
        }
    }

    /** Reads one line that must end in CRLF; a bare CR or LF is a violation. */
    private String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                if (prev != '\r') {
                    violations.add("bare LF after: " + buf.toString(StandardCharsets.US_ASCII));
                    return buf.toString(StandardCharsets.US_ASCII);
                }
                byte[] bytes = buf.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
            }
            if (prev == '\r') {
                violations.add("bare CR after: " + buf.toString(StandardCharsets.US_ASCII));
            }
            buf.write(b);
            prev = b;
        }
    }

    private void deliver(Received m) throws IOException {
        if (maildir == null) {
            return;
        }
        byte[] text = (String.join("\r\n", m.lines()) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        for (String rcpt : m.recipients()) {
            String local = rcpt.substring(0, rcpt.indexOf('@'));
            String domain = rcpt.substring(rcpt.indexOf('@') + 1);
            Path box = maildir.resolve(domain).resolve(local);
            Files.createDirectories(box.resolve("tmp"));
            Files.createDirectories(box.resolve("new"));
            String name = "sink." + fileNumber.incrementAndGet();
            Path tmp = Files.write(box.resolve("tmp").resolve(name), text);
            Files.move(tmp, box.resolve("new").resolve(name));
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
