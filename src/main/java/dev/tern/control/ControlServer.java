package dev.tern.control;

import dev.tern.observe.MailLog;
import dev.tern.queue.QueueOperations;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the control socket {@code <dataDir>/control.sock}: one virtual thread per connection,
 * one request line, one reply line ({@link ControlCommands}), then the connection closes.
 *
 * <p>Who may ask: the socket file is mode 600, and each peer's credentials (SO_PEERCRED) are checked as well,
 * closing the moment between bind and chmod: only the user running the server, or root.
 *
 * <p>Start it after taking the {@link dev.tern.queue.SpoolLock} (a socket file left by a crashed server is
 * then known to be stale and is replaced) and after the queue runner has started; close it before the runner.
 */
public final class ControlServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final Path socket;
    private final QueueOperations queue;
    private final Supplier<ServerStatus> status;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final String owner = System.getProperty("user.name");
    /** Requests of the server itself rather than of its queue ({@code RELOAD}), by verb. */
    private final Map<String, Supplier<ControlReply>> actions = new ConcurrentHashMap<>();
    private ServerSocketChannel server;
    private Thread acceptor;

    public ControlServer(Path dataDir, QueueOperations queue) {
        this(dataDir, queue, null);
    }

    /** @param status the server's status for {@code STATUS} ({@code tern status}), or null to refuse it */
    public ControlServer(Path dataDir, QueueOperations queue, Supplier<ServerStatus> status) {
        this.socket = socketPath(dataDir);
        this.queue = queue;
        this.status = status;
    }

    /**
     * Adds a request the server carries out itself, such as {@code RELOAD}; {@code action} never throws (a
     * failure is an {@code ERR} reply).
     */
    public ControlServer on(String verb, Supplier<ControlReply> action) {
        actions.put(verb.toUpperCase(Locale.ROOT), action);
        return this;
    }

    /** Where the control socket of a data directory is. */
    public static Path socketPath(Path dataDir) {
        return dataDir.resolve("control.sock");
    }

    public Path socket() {
        return socket;
    }

    /** Binds the socket (replacing a stale one), restricts it to its owner and starts accepting. */
    public synchronized void start() throws IOException {
        Files.createDirectories(socket.toAbsolutePath().getParent());
        Files.deleteIfExists(socket);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot create the control socket " + socket + ": " + e.getMessage(), e);
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        }
        server = channel;
        acceptor = Thread.ofPlatform().daemon().name("control").start(this::acceptLoop);
        LOG.info("control socket {}", socket);
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException closed) {
                return; // close() closed the server channel
            }
            open.add(client);
            Thread.ofVirtual().name("control-client").start(() -> serve(client));
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            if (!allowed(client)) {
                reply(client, ControlReply.error("permission denied"));
                return;
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                    StandardCharsets.UTF_8));
            String line = readLine(in);
            ControlReply reply = line == null ? ControlReply.error("request line too long or missing")
                    : execute(line);
            if (line != null) {
                MailLog.event(null, "control").with("request", ControlCommands.oneLine(line))
                        .with("reply", reply.ok() ? "ok" : reply.text()).log();
            }
            reply(client, reply);
        } catch (IOException | RuntimeException e) {
            LOG.debug("control connection: {}", e.toString());
        } finally {
            open.remove(client);
        }
    }

    private ControlReply execute(String line) {
        Supplier<ControlReply> action = actions.get(line.strip().toUpperCase(Locale.ROOT));
        if (action == null) {
            return ControlCommands.execute(line, queue, status);
        }
        try {
            return action.get();
        } catch (RuntimeException e) {
            LOG.warn("control request {} failed", ControlCommands.oneLine(line), e);
            return ControlReply.error("failed: " + e.getClass().getSimpleName());
        }
    }

    /** SO_PEERCRED: the same user as the server, or root. */
    private boolean allowed(SocketChannel client) {
        try {
            UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            String user = peer.user().getName();
            return user.equals(owner) || user.equals("root");
        } catch (IOException | UnsupportedOperationException e) {
            return true; // no credentials on this platform: the file mode alone guards the socket
        }
    }

    private static String readLine(BufferedReader in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (line.length() >= ControlCommands.MAX_LINE) {
                return null;
            }
            line.append((char) c);
        }
        if (c < 0 && line.isEmpty()) {
            return null;
        }
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
    }

    private static void reply(SocketChannel client, ControlReply reply) throws IOException {
        OutputStream out = Channels.newOutputStream(client);
        out.write((reply.line() + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Stops accepting, closes open connections and removes the socket file. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (SocketChannel c : open) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            acceptor.join(5_000);
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", socket, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server = null;
    }
}
