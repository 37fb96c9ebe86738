package dev.tern.testsmtp;

import static dev.tern.testsmtp.PeerLines.send;
import static dev.tern.testsmtp.PeerLines.line;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hostile mail server on a real loopback socket: it answers one byte at a time, one byte every
 * {@code interval}, and never finishes the reply. Each byte arrives well within any per-read timeout, so only
 * a deadline for the whole attempt ends the conversation. It trickles either its greeting (from the first byte)
 * or, after an ordinary dialogue, its reply to the end of the data, the moment a sender most wants to wait.
 *
 * <p>It counts the connections open now and at most, and those the client ended (the client closed: a read
 * met the end of the stream or a write failed).
 */
public final class TricklingPeer implements AutoCloseable {

    /** Where the trickle starts. */
    public enum Stage { GREETING, END_OF_DATA }

    private final ServerSocket server;
    private final Stage stage;
    private final Duration interval;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    /** Set by {@link #close} before the listener closes; read with {@link #open} under its lock. */
    private boolean closing;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger mostActive = new AtomicInteger();
    private final AtomicInteger endedByClient = new AtomicInteger();
    private final AtomicInteger trickling = new AtomicInteger();

    private TricklingPeer(ServerSocket server, Stage stage, Duration interval) {
        this.server = server;
        this.stage = stage;
        this.interval = interval;
        Thread.ofVirtual().name("trickle-accept").start(this::acceptLoop);
    }

    /** A peer on an ephemeral loopback port. */
    public static TricklingPeer start(Stage stage, Duration interval) throws IOException {
        return start(InetAddress.getLoopbackAddress(), 0, stage, interval);
    }

    public static TricklingPeer start(InetAddress address, int port, Stage stage, Duration interval)
            throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(address, port), 100);
        return new TricklingPeer(socket, stage, interval);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Connections open now. */
    public int active() {
        return active.get();
    }

    /** The most connections open at once. */
    public int mostActive() {
        return mostActive.get();
    }

    /** Connections now in their trickle (past the ordinary part of the dialogue). */
    public int trickling() {
        return trickling.get();
    }

    /** Connections the client closed while this peer was still talking. */
    public int endedByClient() {
        return endedByClient.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                synchronized (open) {
                    if (closing) { // accepted while close() ran: it would trickle to the client for ever
                        s.close();
                        return;
                    }
                    open.add(s);
                }
                connections.incrementAndGet();
                mostActive.accumulateAndGet(active.incrementAndGet(), Math::max);
                Thread.ofVirtual().name("trickle-session").start(() -> serve(s));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            if (stage == Stage.END_OF_DATA) {
                dialogue(in, out);
            }
            trickle(out);
        } catch (IOException | InterruptedException ended) {
            if (!server.isClosed()) {
                endedByClient.incrementAndGet();
            }
        } finally {
            open.remove(socket);
            active.decrementAndGet();
        }
    }

    /** An ordinary server up to the end of the data, without PIPELINING so each reply is asked for. */
    private static void dialogue(InputStream in, OutputStream out) throws IOException {
        send(out, "220 trickle.test ESMTP");
        while (true) {
            String line = line(in);
            switch (line.split(" ", 2)[0].toUpperCase(Locale.ROOT)) {
                case "EHLO" -> send(out, "250-trickle.test\r\n250 8BITMIME");
                case "MAIL" -> send(out, "250 2.1.0 Ok");
                case "RCPT" -> send(out, "250 2.1.5 Ok");
                case "DATA" -> {
                    send(out, "354 go ahead");
                    while (!line(in).equals(".")) {
                        // the message: read and forget
                    }
                    return;
                }
                case "QUIT" -> throw new EOFException("the client left");
                default -> send(out, "250 2.0.0 Ok");
            }
        }
    }

    /** {@code 250-} and then one letter after another, never the end of the line. */
    private void trickle(OutputStream out) throws IOException, InterruptedException {
        trickling.incrementAndGet();
        try {
            byte[] start = (stage == Stage.GREETING ? "220-" : "250-").getBytes(StandardCharsets.US_ASCII);
            for (long i = 0; ; i++) {
                out.write(i < start.length ? start[(int) i] : 'z');
                out.flush();
                Thread.sleep(interval);
            }
        } finally {
            trickling.decrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (open) {
            closing = true;
        }
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
