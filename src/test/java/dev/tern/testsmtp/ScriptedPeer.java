package dev.tern.testsmtp;

import dev.tern.tls.ServerTls;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A remote SMTP server for tests, on a real loopback socket: it answers each command by a small script
 * (default replies, overridden by command prefix), and records what it received, connection by connection.
 *
 * <p>Prefixes match the start of the command line, case-insensitively; {@code "."} stands for the end of the
 * message (after DATA, or BDAT ... LAST). In {@link #strictPipelining} mode the replies to MAIL and RCPT are
 * held back until DATA or BDAT arrives, so a client that waits for each reply never gets one.
 */
public final class ScriptedPeer implements AutoCloseable {

    /** What one connection carried. */
    public static final class Session {
        public final List<String> commands = new CopyOnWriteArrayList<>();
        public final List<byte[]> messages = new CopyOnWriteArrayList<>();
        public volatile boolean tls;
        public volatile String auth;
        public volatile boolean quit;

        public String message(int i) {
            return new String(messages.get(i), StandardCharsets.UTF_8);
        }
    }

    private record Rule(String prefix, String reply, boolean once) {
    }

    private final ServerSocket server;
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger mostActive = new AtomicInteger();
    /** The greeting line; null for none at all. */
    public volatile String greeting = "220 peer.test ESMTP scripted";
    public volatile List<String> extensions = List.of("PIPELINING", "8BITMIME", "SIZE 10485760");
    public volatile boolean ehloRefused;
    public volatile boolean strictPipelining;
    public volatile ServerTls tls;
    public volatile boolean breakTls;
    public volatile String acceptedAuth; // "user\0password"

    private ScriptedPeer(ServerSocket server) {
        this.server = server;
        Thread.ofVirtual().name("peer-accept").start(this::acceptLoop);
    }

    public static ScriptedPeer start() throws IOException {
        return start(InetAddress.getLoopbackAddress(), 0);
    }

    public static ScriptedPeer start(InetAddress address, int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(address, port), 50);
        return new ScriptedPeer(socket);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Replies {@code reply} to every command starting with {@code prefix}. */
    public ScriptedPeer on(String prefix, String reply) {
        rules.add(0, new Rule(prefix.toUpperCase(Locale.ROOT), reply, false));
        return this;
    }

    /** Replies {@code reply} to the next command starting with {@code prefix}, then falls back. */
    public ScriptedPeer once(String prefix, String reply) {
        rules.add(0, new Rule(prefix.toUpperCase(Locale.ROOT), reply, true));
        return this;
    }

    public ScriptedPeer extensions(String... list) {
        extensions = List.of(list);
        return this;
    }

    public List<Session> sessions() {
        return sessions;
    }

    public Session only() {
        if (sessions.size() != 1) {
            throw new AssertionError("expected one session, got " + sessions.size());
        }
        return sessions.get(0);
    }

    private String reply(String command, String fallback) {
        String upper = command.toUpperCase(Locale.ROOT);
        for (Rule rule : rules) {
            if (upper.startsWith(rule.prefix())) {
                if (rule.once()) {
                    rules.remove(rule);
                }
                return rule.reply();
            }
        }
        return fallback;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread.ofVirtual().name("peer-session").start(() -> serve(s));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /**
     * The most sessions open at once. A session counts from its accept until QUIT arrives (before the 221,
     * while the client still holds its connection), so a client within its limits never exceeds them here.
     */
    public int mostActive() {
        return mostActive.get();
    }

    private void serve(Socket socket) {
        Session session = new Session();
        sessions.add(session);
        mostActive.accumulateAndGet(active.incrementAndGet(), Math::max);
        try (socket) {
            socket.setSoTimeout(20_000);
            new Dialogue(socket, session).run();
        } catch (IOException ended) {
            // the client went away, or the script closed the connection
        } finally {
            if (!session.quit) {
                active.decrementAndGet();
            }
        }
    }

    /** One connection's dialogue. */
    private final class Dialogue {
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private final Session session;
        private final StringBuilder held = new StringBuilder();

        Dialogue(Socket socket, Session session) throws IOException {
            this.session = session;
            attach(socket);
        }

        private void attach(Socket s) throws IOException {
            socket = s;
            in = new BufferedInputStream(s.getInputStream());
            out = s.getOutputStream();
        }

        void run() throws IOException {
            if (greeting == null) { // a server that never speaks: wait for the client to give up
                while (in.read() >= 0) {
                    // discard
                }
                return;
            }
            send(greeting);
            if (!greeting.startsWith("2")) {
                return;
            }
            while (true) {
                String line = line();
                session.commands.add(line);
                String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> send(ehloRefused ? "502 5.5.1 no EHLO here" : ehlo());
                    case "HELO" -> send(reply(line, "250 peer.test"));
                    case "STARTTLS" -> {
                        if (startTls(line)) {
                            continue;
                        }
                    }
                    case "AUTH" -> auth(line);
                    case "MAIL", "RCPT" -> answer(reply(line, "250 2.1.0 Ok"));
                    case "DATA" -> data(line);
                    case "BDAT" -> bdat(line);
                    case "RSET" -> send(reply(line, "250 2.0.0 Ok"));
                    case "QUIT" -> {
                        session.quit = true;
                        active.decrementAndGet();
                        send("221 2.0.0 Bye");
                        return;
                    }
                    default -> send(reply(line, "502 5.5.2 unknown command"));
                }
            }
        }

        private String ehlo() {
            List<String> lines = new ArrayList<>();
            lines.add("peer.test greets you");
            for (String e : extensions) {
                if (!(session.tls && e.equals("STARTTLS"))) {
                    lines.add(e);
                }
            }
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                out.append("250").append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i));
                if (i < lines.size() - 1) {
                    out.append("\r\n");
                }
            }
            return out.toString();
        }

        private boolean startTls(String line) throws IOException {
            String r = reply(line, "220 2.0.0 Ready to start TLS");
            send(r);
            if (!r.startsWith("220")) {
                return false;
            }
            if (breakTls) {
                socket.close();
                throw new EOFException("TLS broken on purpose");
            }
            attach(tls.upgrade(socket));
            session.tls = true;
            return true;
        }

        private void auth(String line) throws IOException {
            String[] words = line.split(" ");
            String given;
            if (words[1].equalsIgnoreCase("PLAIN")) {
                given = decode(words.length > 2 ? words[2] : "");
            } else {
                send("334 VXNlcm5hbWU6");
                String user = decode(line());
                send("334 UGFzc3dvcmQ6");
                given = "\0" + user + "\0" + decode(line());
            }
            session.auth = given;
            send(given.equals(acceptedAuth) ? "235 2.7.0 Authentication successful"
                    : "535 5.7.8 Authentication credentials invalid");
        }

        private String decode(String b64) {
            return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
        }

        /** In strict pipelining mode, MAIL and RCPT replies wait for DATA or BDAT. */
        private void answer(String reply) throws IOException {
            if (strictPipelining) {
                held.append(reply).append("\r\n");
            } else {
                send(reply);
            }
        }

        private void releaseHeld() throws IOException {
            if (!held.isEmpty()) {
                out.write(held.toString().getBytes(StandardCharsets.UTF_8));
                held.setLength(0);
            }
        }

        private void data(String line) throws IOException {
            releaseHeld();
            String r = reply(line, "354 End data with <CR><LF>.<CR><LF>");
            send(r);
            if (!r.startsWith("354")) {
                return;
            }
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            while (true) {
                String text = line();
                if (text.equals(".")) {
                    break;
                }
                message.writeBytes((text.startsWith(".") ? text.substring(1) : text).getBytes(StandardCharsets.UTF_8));
                message.writeBytes(new byte[] {'\r', '\n'});
            }
            session.messages.add(message.toByteArray());
            send(reply(".", "250 2.0.0 Ok: queued as PEER1"));
        }

        private ByteArrayOutputStream chunks;

        private void bdat(String line) throws IOException {
            releaseHeld();
            String[] words = line.split(" ");
            int size = Integer.parseInt(words[1]);
            boolean last = words.length > 2 && words[2].equalsIgnoreCase("LAST");
            if (chunks == null) {
                chunks = new ByteArrayOutputStream();
            }
            chunks.writeBytes(in.readNBytes(size));
            if (last) {
                session.messages.add(chunks.toByteArray());
                chunks = null;
                send(reply(".", "250 2.0.0 Ok: queued as PEER1"));
            } else {
                send("250 2.0.0 " + size + " octets received");
            }
        }

        private void send(String reply) throws IOException {
            PeerLines.send(out, reply);
        }

        private String line() throws IOException {
            return PeerLines.line(in);
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
