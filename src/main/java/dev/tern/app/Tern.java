package dev.tern.app;

import dev.tern.config.BounceSettings;
import dev.tern.config.ListenerConfig;
import dev.tern.config.TernConfig;
import dev.tern.control.ControlServer;
import dev.tern.delivery.LocalCourier;
import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.policy.RecipientPolicy;
import dev.tern.queue.FileSpool;
import dev.tern.queue.QueueRunner;
import dev.tern.queue.SpoolLock;
import dev.tern.queue.SystemDelayScheduler;
import dev.tern.queue.dsn.DsnSink;
import dev.tern.smtp.server.ConnectionLimiter;
import dev.tern.smtp.server.SessionSettings;
import dev.tern.smtp.server.SmtpServer;
import dev.tern.store.FileDirectory;
import dev.tern.store.MaildirStore;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Tern: the concrete objects wired together, started in dependency order (the data directory's
 * queue lock, stores, spool, queue, control socket, then listeners) and stopped in reverse, so no listener
 * accepts mail the queue cannot take.
 */
public final class Tern implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tern.class);

    private final TernConfig config;
    private final FileDirectory directory;
    private final FileSpool spool;
    private final QueueRunner queue;
    private final SpoolLock lock;
    private final ControlServer control;
    private final List<SmtpServer> servers = new ArrayList<>();

    private Tern(TernConfig config, FileDirectory directory, FileSpool spool, QueueRunner queue, SpoolLock lock) {
        this.config = config;
        this.directory = directory;
        this.spool = spool;
        this.queue = queue;
        this.lock = lock;
        this.control = new ControlServer(config.dataDir(), queue);
    }

    /** Builds and starts everything the configuration describes. */
    public static Tern start(TernConfig config) throws IOException {
        Files.createDirectories(config.dataDir());
        Clock clock = Clock.systemDefaultZone();
        // first: one process per data directory; the spool below removes leftovers only under this lock
        SpoolLock lock = SpoolLock.acquire(config.dataDir());
        Tern tern;
        try {
            FileDirectory directory = new FileDirectory(config.dataDir(), config.domains());
            MaildirStore mailboxes = new MaildirStore(config.dataDir(), config.hostname());
            FileSpool spool = new FileSpool(config.dataDir());
            DsnSink bounces = new DsnSink(spool, config.hostname(),
                    new Address("postmaster", Domain.of(postmasterDomain(config))), directory::isLocalDomain,
                    BounceSettings.defaults(), clock);
            QueueRunner queue = new QueueRunner(spool, new LocalCourier(directory, mailboxes), config.queue(),
                    new SystemDelayScheduler(clock), bounces);
            tern = new Tern(config, directory, spool, queue, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        try {
            tern.queue.start();
            tern.startControl();
            tern.startListeners(clock);
        } catch (IOException | RuntimeException e) {
            tern.close();
            throw e;
        }
        return tern;
    }

    private static String postmasterDomain(TernConfig config) {
        return config.domains().isEmpty() ? "localhost" : config.domains().get(0);
    }

    /** The operator's way in ({@code tern queue}); mail flows without it, so a failure is only logged. */
    private void startControl() {
        try {
            control.start();
        } catch (IOException e) {
            LOG.warn("no control socket, 'tern queue' cannot change the queue while the server runs: {}",
                    e.getMessage());
        }
    }

    private void startListeners(Clock clock) throws IOException {
        RecipientPolicy recipients = new RecipientPolicy(directory);
        ConnectionLimiter limiter = new ConnectionLimiter(config.limits().maxConnections(),
                config.limits().maxConnectionsPerClient());
        String postmasterDomain = postmasterDomain(config);
        for (ListenerConfig listener : config.listeners()) {
            SessionSettings settings = new SessionSettings(config.hostname(), listener.role(), config.limits(),
                    postmasterDomain, clock);
            SmtpServer server = new SmtpServer(listener, settings, spool, recipients, limiter);
            server.start();
            servers.add(server);
            LOG.info("listening for {} on {}:{}", listener.name(), listener.address(), server.port());
        }
    }

    /** The bound port of the named listener (useful with port 0). */
    public int port(String listenerName) {
        return servers.stream().filter(s -> s.listener().name().equals(listenerName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no listener " + listenerName)).port();
    }

    public List<SmtpServer> servers() {
        return List.copyOf(servers);
    }

    public TernConfig config() {
        return config;
    }

    public QueueRunner queue() {
        return queue;
    }

    @Override
    public void close() {
        for (SmtpServer server : servers) {
            try {
                server.close();
            } catch (IOException e) {
                LOG.warn("closing listener {}: {}", server.listener().name(), e.toString());
            }
        }
        control.close();
        queue.close();
        lock.close();
    }
}
