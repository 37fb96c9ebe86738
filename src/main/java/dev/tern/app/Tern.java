package dev.tern.app;

import dev.tern.config.ListenerConfig;
import dev.tern.config.SecuritySettings;
import dev.tern.config.TernConfig;
import dev.tern.delivery.LocalCourier;
import dev.tern.policy.RecipientPolicy;
import dev.tern.policy.rules.RuleEngine;
import dev.tern.queue.FileSpool;
import dev.tern.queue.QueueRunner;
import dev.tern.smtp.server.ConnectionLimiter;
import dev.tern.smtp.server.SessionSettings;
import dev.tern.smtp.server.SmtpServer;
import dev.tern.store.FileDirectory;
import dev.tern.store.MaildirStore;
import dev.tern.tls.ReloadingCertificate;
import dev.tern.tls.ServerTls;
import dev.tern.tls.TlsCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Tern: the concrete objects wired together, started in dependency order (stores, spool, queue,
 * then listeners) and stopped in reverse, so no listener accepts mail the queue cannot take.
 */
public final class Tern implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tern.class);

    private final TernConfig config;
    private final FileDirectory directory;
    private final FileSpool spool;
    private final QueueRunner queue;
    private final List<SmtpServer> servers = new ArrayList<>();

    private Tern(TernConfig config, FileDirectory directory, FileSpool spool, QueueRunner queue) {
        this.config = config;
        this.directory = directory;
        this.spool = spool;
        this.queue = queue;
    }

    /** Builds and starts everything the configuration describes. */
    public static Tern start(TernConfig config) throws IOException {
        Files.createDirectories(config.dataDir());
        Clock clock = Clock.systemDefaultZone();
        FileDirectory directory = new FileDirectory(config.dataDir(), config.domains());
        MaildirStore mailboxes = new MaildirStore(config.dataDir(), config.hostname());
        FileSpool spool = new FileSpool(config.dataDir());
        QueueRunner queue = new QueueRunner(spool, new LocalCourier(directory, mailboxes), config.queue(), clock);
        Tern tern = new Tern(config, directory, spool, queue);
        try {
            queue.start();
            tern.startListeners(clock);
        } catch (IOException | RuntimeException e) {
            tern.close();
            throw e;
        }
        return tern;
    }

    private void startListeners(Clock clock) throws IOException {
        ServerTls tls = serverTls();
        RuleEngine rules = new RuleEngine(config.rules());
        RecipientPolicy recipients = new RecipientPolicy(directory);
        ConnectionLimiter limiter = new ConnectionLimiter(config.limits().maxConnections(),
                config.limits().maxConnectionsPerClient());
        String postmasterDomain = config.domains().isEmpty() ? "localhost" : config.domains().get(0);
        for (ListenerConfig listener : config.listeners()) {
            SessionSettings settings = new SessionSettings(config.hostname(), listener.role(), config.limits(),
                    postmasterDomain, clock, config.security().trustedNetworks(), rules);
            SmtpServer server = new SmtpServer(listener, settings, spool, recipients, limiter, tls);
            server.start();
            servers.add(server);
            LOG.info("listening for {} on {}:{}", listener.name(), listener.address(), server.port());
        }
    }

    /**
     * The certificates of {@code [tls]}, watched for renewal; with none configured, a self-signed certificate
     * for the hostname kept in {@code <data>/tls} so STARTTLS works out of the box.
     */
    private ServerTls serverTls() throws IOException {
        List<ReloadingCertificate> certificates = new ArrayList<>();
        for (SecuritySettings.CertificateFiles files : config.security().certificates()) {
            certificates.add(TlsCertificates.watch(files.fullchain(), files.privkey()));
        }
        if (certificates.isEmpty()) {
            certificates.add(TlsCertificates.selfSigned(config.dataDir().resolve("tls"), config.hostname()));
        }
        try {
            return ServerTls.create(certificates);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
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
        queue.close();
    }
}
