package dev.tern.testsmtp;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A machine on the path between an SMTP client and a real server, on loopback: it relays each connection to the
 * server, writes down every line the client sent before TLS (what an eavesdropper reads), and can strip
 * {@code STARTTLS} from the server's EHLO reply, the downgrade that MTA-STS and DANE exist to stop (RFC 8461 §1,
 * RFC 3207 §6). After the server's 220 to STARTTLS it only copies octets: the TLS session is between the client
 * and the server.
 */
public final class StartTlsProxy implements AutoCloseable {

    /** What one relayed connection showed in clear text. */
    public static final class Connection {
        /** The client's lines before TLS began (or all of them, when it never did). */
        public final List<String> clearLines = new CopyOnWriteArrayList<>();
        /** Whether the server agreed to STARTTLS, after which nothing more could be read. */
        public volatile boolean tls;

        /** Whether a transaction began in clear text: the message, or its envelope, went unprotected. */
        public boolean mailInClear() {
            return clearLines.stream().anyMatch(l -> l.regionMatches(true, 0, "MAIL FROM", 0, 9));
        }
    }

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    /** Whether STARTTLS is removed from the server's EHLO replies. */
    public volatile boolean stripStartTls;

    private StartTlsProxy(ServerSocket server, InetSocketAddress upstream) {
        this.server = server;
        this.upstream = upstream;
        Thread.ofVirtual().name("proxy-accept").start(this::acceptLoop);
    }

    /** Listens on {@code address}:{@code port} and relays to {@code upstream}. */
    public static StartTlsProxy start(InetAddress address, int port, InetSocketAddress upstream) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(address, port), 50);
        return new StartTlsProxy(socket, upstream);
    }

    /** The connections relayed so far, in order. */
    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** How many connections clients opened, relayed or not. */
    public int accepted() {
        return accepted.get();
    }

    /** Forgets the connections so far (between the cases of a test class). */
    public void clear() {
        connections.clear();
        accepted.set(0);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                Thread.ofVirtual().name("proxy-connection").start(() -> relay(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void relay(Socket client) {
        Connection seen = new Connection();
        connections.add(seen);
        try (client; Socket target = new Socket()) {
            open.add(client);
            open.add(target);
            target.connect(upstream, 5_000);
            SynchronousQueue<Boolean> startTlsAnswer = new SynchronousQueue<>();
            InputStream fromServer = new BufferedInputStream(target.getInputStream());
            InputStream fromClient = new BufferedInputStream(client.getInputStream());
            OutputStream toClient = client.getOutputStream();
            Thread down = Thread.ofVirtual().name("proxy-down").start(() ->
                    replies(fromServer, toClient, seen, startTlsAnswer));
            commands(fromClient, target.getOutputStream(), seen, startTlsAnswer);
            down.join();
        } catch (IOException | InterruptedException e) {
            // either side went away: the relay ends with it
        } finally {
            open.remove(client);
            open.removeIf(Socket::isClosed);
        }
    }

    /** Client to server: lines written down until the server agrees to STARTTLS, then octets. */
    private void commands(InputStream in, OutputStream out, Connection seen, SynchronousQueue<Boolean> startTlsAnswer)
            throws IOException, InterruptedException {
        try {
            while (true) {
                String line = PeerLines.line(in);
                seen.clearLines.add(line);
                PeerLines.send(out, line);
                if (line.equalsIgnoreCase("STARTTLS") && startTlsAnswer.take()) {
                    in.transferTo(out);
                    return;
                }
            }
        } finally {
            out.close(); // the server sees the end, and the other direction ends with it
        }
    }

    /** Server to client: replies relayed (STARTTLS stripped when asked) until a 220 after the greeting. */
    private void replies(InputStream in, OutputStream out, Connection seen, SynchronousQueue<Boolean> startTlsAnswer) {
        try (out) {
            boolean greeted = false;
            while (true) {
                List<String> reply = reply(in);
                if (stripStartTls) {
                    reply = withoutStartTls(reply);
                }
                for (String line : reply) {
                    PeerLines.send(out, line);
                }
                boolean ready = reply.getLast().startsWith("220");
                if (greeted && lastCommandWasStartTls(seen)) {
                    startTlsAnswer.put(ready);
                    if (ready) {
                        seen.tls = true;
                        in.transferTo(out);
                        return;
                    }
                }
                greeted = true;
            }
        } catch (IOException | InterruptedException e) {
            // the connection ended
        }
    }

    private static boolean lastCommandWasStartTls(Connection seen) {
        List<String> lines = seen.clearLines;
        return !lines.isEmpty() && lines.getLast().equalsIgnoreCase("STARTTLS");
    }

    private static List<String> reply(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = PeerLines.line(in);
            lines.add(line);
        } while (line.length() > 3 && line.charAt(3) == '-');
        return lines;
    }

    /** The reply without its STARTTLS line, the continuation marks set again (RFC 5321 §4.2.1). */
    static List<String> withoutStartTls(List<String> reply) {
        List<String> kept = new ArrayList<>();
        for (String line : reply) {
            if (line.length() <= 4 || !line.substring(4).trim().toUpperCase(Locale.ROOT).equals("STARTTLS")) {
                kept.add(line);
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            String line = kept.get(i);
            String text = line.length() > 4 ? line.substring(4) : "";
            out.add(line.substring(0, 3) + (i == kept.size() - 1 ? " " : "-") + text);
        }
        return out;
    }

    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
