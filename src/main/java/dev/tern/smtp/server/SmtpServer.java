package dev.tern.smtp.server;

import dev.tern.config.ListenerSettings;
import dev.tern.config.SmtpLimits;
import dev.tern.observe.MailLog;
import dev.tern.observe.Metrics;
import dev.tern.policy.RecipientPolicy;
import dev.tern.policy.screen.Screen;
import dev.tern.queue.Spool;
import dev.tern.smtp.protocol.Reply;
import dev.tern.tls.ServerTls;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket: threads that accept a connection and run its {@link Session} ({@link SessionThreads}),
 * after taking a connection permit. A client over a limit gets {@code 421 4.7.0} and is closed.
 *
 * <p>Each connection takes the settings and TLS context current when it is accepted, so a reload reaches new
 * sessions while those under way keep theirs. A graceful stop ({@link #stopAccepting}, {@link #stopSessions},
 * {@link #awaitSessions}) closes the socket, tells idle sessions {@code 421 4.3.2} and lets a session in DATA
 * finish its message; {@link #close} then ends whatever is left.
 */
public final class SmtpServer implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpServer.class);
    private static final Duration PERMIT_GRACE = Duration.ofMillis(50);

    private final ListenerSettings listener;
    private final Supplier<SessionSettings> settings;
    private final Spool spool;
    private final RecipientPolicy policy;
    private final ConnectionLimiter limiter;
    private final Supplier<ServerTls> tls;
    /** The MX listener's screen of clients before the greeting, or null for none. */
    private final Screen screen;
    private final Set<Session> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private final SessionThreads sessions;
    private final Watchdog watchdog;
    /** The PROXY protocol check, or null on a listener clients reach directly. */
    private final ProxyGate proxyGate;
    private ServerSocket serverSocket;

    /**
     * @param tls the TLS context for STARTTLS and implicit TLS, or null for none (then a SUBMISSIONS
     *            listener cannot start)
     */
    public SmtpServer(ListenerSettings listener, SessionSettings settings, Spool spool, RecipientPolicy policy,
                      ConnectionLimiter limiter, ServerTls tls) {
        this(listener, () -> settings, spool, policy, limiter, tls == null ? null : () -> tls, null);
    }

    /** @param screen the screen of clients before the greeting (the MX listener's), or null for none */
    public SmtpServer(ListenerSettings listener, SessionSettings settings, Spool spool, RecipientPolicy policy,
                      ConnectionLimiter limiter, ServerTls tls, Screen screen) {
        this(listener, () -> settings, spool, policy, limiter, tls == null ? null : () -> tls, screen);
    }

    /**
     * @param settings what a new session is to use, asked once per connection (a reload changes it)
     * @param tls      the TLS context for a new connection, asked once per connection, or null for none
     * @param screen   the screen of clients before the greeting (the MX listener's), or null for none
     */
    public SmtpServer(ListenerSettings listener, Supplier<SessionSettings> settings, Spool spool,
                      RecipientPolicy policy, ConnectionLimiter limiter, Supplier<ServerTls> tls, Screen screen) {
        this.screen = screen;
        this.listener = listener;
        this.sessions = new SessionThreads(listener.name(), SessionThreads.PLATFORM_THREADS, SessionThreads.IDLE_KEPT);
        this.settings = settings;
        this.spool = spool;
        this.policy = policy;
        this.limiter = limiter;
        this.tls = tls;
        this.watchdog = new Watchdog(limiter::underStress);
        this.proxyGate = listener.proxy().enabled() ? new ProxyGate(listener.proxy()) : null;
        if (tls == null && listener.role() == ListenerSettings.Role.SUBMISSIONS) {
            throw new IllegalArgumentException("listener " + listener.name() + " needs TLS (implicit TLS, RFC 8314)");
        }
    }

    /** Binds the socket and starts accepting. */
    public void start() throws IOException {
        serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(InetAddress.getByName(listener.address()), listener.port()), 1024);
        sessions.start(serverSocket, e -> LOG.warn("accept failed on {}: {}", listener.name(), e.toString()),
                this::serve);
    }

    /** The bound port (useful when the configured port is 0). */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /** Whether the socket is bound and its accept loop runs ({@code /readyz}, {@code tern status}). */
    public boolean accepting() {
        return serverSocket != null && serverSocket.isBound() && !serverSocket.isClosed() && sessions.alive();
    }

    public ListenerSettings listener() {
        return listener;
    }

    private void serve(Socket socket) {
        InetAddress address = socket.getInetAddress();
        if (proxyGate != null) {
            try {
                // Before the permit: the limits count the real client, not the proxy all clients come through.
                address = proxyGate.client(socket);
            } catch (IOException e) {
                closeQuietly(socket);
                return;
            }
        }
        String client = address.getHostAddress();
        serve(socket, address, client);
    }

    private void serve(Socket socket, InetAddress address, String client) {
        ConnectionLimiter.Refusal refusal = limiter.tryAcquire(address);
        if (refusal != ConnectionLimiter.Refusal.NONE) {
            // A client that got our 221 may reconnect before that session's thread has given its permit
            // back; one short wait keeps such a client from being refused for our own lag.
            try {
                Thread.sleep(PERMIT_GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            refusal = limiter.tryAcquire(address);
        }
        if (refusal != ConnectionLimiter.Refusal.NONE) {
            refuse(socket, client, refusal);
            Metrics.get().connection(listener.name(), Metrics.Connection.REFUSED);
            return;
        }
        Metrics.get().connection(listener.name(), Metrics.Connection.ACCEPTED);
        AtomicBoolean permitGiven = new AtomicBoolean();
        Runnable givePermitBack = () -> {
            if (permitGiven.compareAndSet(false, true)) {
                limiter.release(address);
            }
        };
        SessionSettings settings = this.settings.get();
        SmtpLimits limits = settings.limits();
        // The hard deadline is a backstop behind the session's own read deadlines: it ends a connection that
        // none of them reaches, such as a TLS handshake dribbled out one octet per read.
        long hardDeadline = System.nanoTime() + limits.sessionTimeout().plus(limits.writeTimeout()).toNanos();
        try (Watchdog.Watch watch = watchdog.watch(client, socket, hardDeadline, limits.writeTimeout(),
                limits.stressCommandTimeout())) {
            socket.setTcpNoDelay(true); // replies are batched by the session itself (pipelining)
            Duration handshake = limiter.underStress() ? limits.stressCommandTimeout() : limits.commandTimeout();
            socket.setSoTimeout((int) handshake.toMillis()); // bounds each read of a TLS handshake
            ServerTls context = tls == null ? null : tls.get();
            Transport transport = listener.role() == ListenerSettings.Role.SUBMISSIONS
                    ? SocketTransport.implicitTls(socket, context, address) : new SocketTransport(socket, context, address);
            // The screen starts its DNS lookups now, under the connection's permit, so they overlap the pause.
            Session session = new Session(settings, transport, spool, policy, watch, limiter::underStress,
                    () -> stopping, screen == null ? null : screen.begin(address));
            session.beforeLastReply(givePermitBack);
            running.add(session);
            try {
                session.run(); // accepted as a stop began: it says 421 before its first command
            } finally {
                running.remove(session);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("session with {} failed to start: {}", client, e.toString());
            MailLog.event(null, "disconnect").with("client", client).with("reason", e.getMessage()).log();
            closeQuietly(socket);
        } finally {
            givePermitBack.run();
        }
    }

    private void refuse(Socket socket, String client, ConnectionLimiter.Refusal refusal) {
        String why = refusal == ConnectionLimiter.Refusal.TOTAL ? "Too many connections"
                : "Too many connections from your address";
        MailLog.event(null, "refused").with("client", client).with("reason", why).log();
        try (socket) {
            OutputStream out = socket.getOutputStream();
            out.write(Reply.closing(421, "4.7.0", settings.get().hostname() + " " + why + ", try again later").toBytes());
            out.flush();
        } catch (IOException ignored) {
            // the client left first
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** The first step of a graceful stop: no new connections (the port is free for a new server). */
    public void stopAccepting() throws IOException {
        stopping = true;
        if (serverSocket != null) {
            serverSocket.close();
        }
        sessions.shutdown();
    }

    /**
     * Tells every session waiting for a command {@code 421 4.3.2} and closes it; a session in DATA finishes
     * its message, gets its reply, then the 421. Each one on its own thread: a client that does not read
     * holds up only itself (the watchdog bounds that write).
     */
    public void stopSessions() {
        stopping = true;
        for (Session session : running) {
            Thread.ofVirtual().name("smtp-stop").start(session::stopIfIdle);
        }
    }

    /** Waits for the sessions to end, at most {@code timeout}; true when none is left. */
    public boolean awaitSessions(Duration timeout) throws InterruptedException {
        return sessions.awaitTermination(timeout);
    }

    /** Sessions under way. */
    public int sessionCount() {
        return running.size();
    }

    @Override
    public void close() throws IOException {
        if (serverSocket != null) {
            serverSocket.close();
        }
        sessions.shutdownNow();
        for (Session session : running) {
            session.abort(); // a platform thread blocked in a read ignores the interrupt; a closed socket ends it
        }
        watchdog.close();
        try {
            sessions.awaitTermination(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
