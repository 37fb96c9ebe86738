package dev.tern.testsmtp;

import static dev.tern.testsmtp.PeerLines.send;
import static dev.tern.testsmtp.PeerLines.line;

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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A remote mail server for the outbound tests, on a real loopback socket: it answers RCPT by a small script,
 * can be slow to answer the end of the data or say nothing at all, and records each message it accepted. A
 * message counts as accepted once its 250 reply was written; a client killed around that moment may never
 * have read it and send the message again, which then counts twice.
 */
public final class PeerServer implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final Queue<String> nextRcptReplies = new ConcurrentLinkedQueue<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger rcpts = new AtomicInteger();
    private final AtomicInteger awaitingReply = new AtomicInteger();
    /** The reply to RCPT once the scripted ones ({@link #thenRcpt}) are used up. */
    public volatile String rcptReply = "250 2.1.5 Ok";
    /** Accept connections but never send a byte (a server that hangs). */
    public volatile boolean silent;
    /** How long to wait before answering the end of the data. */
    public volatile Duration dataDoneDelay = Duration.ZERO;
    /** The end of the data is not answered until this opens. */
    public volatile CountDownLatch dataDoneGate = new CountDownLatch(0);

    private PeerServer(ServerSocket server) {
        this.server = server;
        Thread.ofVirtual().name("peer-accept").start(this::acceptLoop);
    }

    public static PeerServer start() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        return new PeerServer(socket);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The next RCPT commands get these replies, in order, whatever connection they come on. */
    public PeerServer thenRcpt(String... replies) {
        nextRcptReplies.addAll(List.of(replies));
        return this;
    }

    /** The messages accepted so far, as text (CRLF line ends, dot-stuffing undone). */
    public List<String> accepted() {
        return List.copyOf(accepted);
    }

    public int connections() {
        return connections.get();
    }

    public int rcptCommands() {
        return rcpts.get();
    }

    /** Transactions whose data has arrived and whose reply has not yet been written. */
    public int awaitingReply() {
        return awaitingReply.get();
    }

    /** The accepted messages, once at least {@code count} of them have arrived or the time is up. */
    public List<String> awaitAccepted(int count, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (accepted.size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        return accepted();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                connections.incrementAndGet();
                Thread.ofVirtual().name("peer-session").start(() -> serve(s));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            if (silent) {
                while (in.read() >= 0) {
                    // say nothing; wait for the client to give up
                }
                return;
            }
            dialogue(in, out);
        } catch (IOException | InterruptedException ended) {
            // the client went away
        } finally {
            open.remove(socket);
        }
    }

    private void dialogue(InputStream in, OutputStream out) throws IOException, InterruptedException {
        send(out, "220 peer.test ESMTP test peer");
        int recipients = 0; // accepted in this transaction
        while (true) {
            String line = line(in);
            String verb = line.split(" ", 2)[0].toUpperCase(java.util.Locale.ROOT);
            switch (verb) {
                case "EHLO" -> send(out, "250-peer.test\r\n250-PIPELINING\r\n250 8BITMIME");
                case "MAIL" -> {
                    recipients = 0;
                    send(out, "250 2.1.0 Ok");
                }
                case "RCPT" -> {
                    rcpts.incrementAndGet();
                    String scripted = nextRcptReplies.poll();
                    String reply = scripted != null ? scripted : rcptReply;
                    recipients += reply.startsWith("2") ? 1 : 0;
                    send(out, reply);
                }
                case "DATA" -> {
                    if (recipients == 0) { // RFC 2920 §3.1: DATA fails when no RCPT succeeded
                        send(out, "554 5.5.1 Error: no valid recipients");
                    } else {
                        data(in, out);
                    }
                    recipients = 0;
                }
                case "RSET" -> {
                    recipients = 0;
                    send(out, "250 2.0.0 Ok");
                }
                case "NOOP" -> send(out, "250 2.0.0 Ok");
                case "QUIT" -> {
                    send(out, "221 2.0.0 Bye");
                    return;
                }
                default -> send(out, "502 5.5.2 unknown command");
            }
        }
    }

    private void data(InputStream in, OutputStream out) throws IOException, InterruptedException {
        send(out, "354 go ahead");
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            String text = line(in);
            if (text.equals(".")) {
                break;
            }
            message.writeBytes((text.startsWith(".") ? text.substring(1) : text).getBytes(StandardCharsets.UTF_8));
            message.writeBytes(new byte[] {'\r', '\n'});
        }
        awaitingReply.incrementAndGet();
        try {
            dataDoneGate.await(30, TimeUnit.SECONDS);
            Thread.sleep(dataDoneDelay);
            send(out, "250 2.0.0 Ok: queued");
            accepted.add(message.toString(StandardCharsets.UTF_8));
        } finally {
            awaitingReply.decrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
