package dev.tern.app;

import dev.tern.auth.AuthThrottle;
import dev.tern.auth.Authenticator;
import dev.tern.auth.CheckLimiter;
import dev.tern.auth.PasswordHasher;
import dev.tern.auth.ServerSecret;
import dev.tern.config.AuthSettings;
import dev.tern.config.DnsSettings;
import dev.tern.config.ListenerSettings;
import dev.tern.config.SecuritySettings;
import dev.tern.config.TernConfig;
import dev.tern.control.ControlServer;
import dev.tern.control.ServerStatus;
import dev.tern.delivery.LocalCourier;
import dev.tern.delivery.RoutingCourier;
import dev.tern.delivery.smtp.SmtpCourier;
import dev.tern.dns.DnsResolver;
import dev.tern.dns.ResolverSettings;
import dev.tern.dns.DnsjavaResolver;
import dev.tern.dns.ResponseCache;
import dev.tern.io.PrivateFiles;
import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.metrics.MetricsService;
import dev.tern.observe.Metrics;
import dev.tern.policy.RecipientPolicy;
import dev.tern.policy.SenderPolicy;
import dev.tern.policy.mailauth.InboundChecks;
import dev.tern.policy.mailauth.OutboundSigner;
import dev.tern.policy.rules.RuleEngine;
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
import dev.tern.tls.ReloadingCertificate;
import dev.tern.tls.ServerTls;
import dev.tern.tls.TlsCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Tern: the concrete objects wired together, started in dependency order (the data directory's
 * queue lock, stores, spool, couriers, queue, control socket, then listeners) and stopped in reverse, so no
 * listener accepts mail the queue cannot take.
 */
public final class Tern implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tern.class);
    private final TernConfig config;
    private final Clock clock = Clock.systemDefaultZone();
    private final FileDirectory directory;
    private final FileSpool spool;
    private final DnsResolver dns;
    private final SmtpCourier smtp;
    private final QueueRunner queue;
    private final SpoolLock lock;
    private final ControlServer control;
    private final List<SmtpServer> servers = new CopyOnWriteArrayList<>(); // read by STATUS and /readyz meanwhile
    private final MetricsService metrics;
    private final Instant started = Instant.now();

    /** Builds the objects; {@code lock} (one process per data directory) is already held. */
    private Tern(TernConfig config, SpoolLock lock) throws IOException {
        this.config = config;
        this.lock = lock;
        this.directory = new FileDirectory(config.dataDir(), config.domains());
        this.spool = new FileSpool(config.dataDir()); // removes an earlier run's leftovers: only under the lock
        this.metrics = config.metrics().enabled() ? new MetricsService(config.metrics(),
                config.listeners().stream().map(ListenerSettings::name).toList()) : null;
        DnsResolver resolver = new DnsjavaResolver(dnsSettings(config.dns()), new ResponseCache(config.dns().cacheMaxBytes()));
        this.dns = metrics == null ? resolver : metrics.meter(resolver);
        this.smtp = new SmtpCourier(config.delivery(), config.hostname(), dns);
        MaildirStore mailboxes = new MaildirStore(config.dataDir(), config.hostname());
        RoutingCourier courier = new RoutingCourier(directory, new LocalCourier(directory, mailboxes), smtp,
                config.delivery().localThreads());
        DsnSink bounces = new DsnSink(spool, config.hostname(), new Address("postmaster",
                Domain.of(postmasterDomain(config))), directory::isLocalDomain, config.bounce(), clock);
        this.queue = new QueueRunner(spool, courier, config.queue(), new SystemDelayScheduler(clock), bounces);
        this.control = new ControlServer(config.dataDir(), queue, this::status);
    }

    /** Builds and starts everything the configuration describes. */
    public static Tern start(TernConfig config) throws IOException {
        PrivateFiles.createDirectories(config.dataDir());
        SpoolLock lock = SpoolLock.acquire(config.dataDir());
        Tern tern;
        try {
            tern = new Tern(config, lock);
        } catch (IOException | RuntimeException e) {
            Metrics.install(Metrics.NONE); // a MetricsService built before the failure installed its meters
            lock.close();
            throw e;
        }
        try {
            tern.queue.start();
            tern.startControl();
            tern.startListeners();
            tern.startMetrics();
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

    /** The {@code [metrics]} listener, last: {@code /readyz} then sees listeners that are already bound. */
    private void startMetrics() throws IOException {
        if (metrics != null) {
            metrics.start(this::accepting, config.dataDir().resolve("spool"), () -> {
                try {
                    return queue.counts();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private Map<String, Boolean> accepting() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (ListenerSettings listener : config.listeners()) {
            out.put(listener.name(), servers.stream().anyMatch(s -> s.listener() == listener && s.accepting()));
        }
        return out;
    }

    /** For {@code tern status}: version, uptime, listeners and queue counts. */
    private ServerStatus status() {
        List<ServerStatus.Listener> listeners = new ArrayList<>();
        for (SmtpServer s : servers) {
            listeners.add(new ServerStatus.Listener(s.listener().name(), s.listener().address(), s.port(), s.accepting()));
        }
        try {
            return new ServerStatus(ServerVersion.get(), started, Duration.between(started, Instant.now()), listeners,
                    queue.counts());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bound port of the metrics listener (useful with port 0). */
    public int metricsPort() {
        if (metrics == null) {
            throw new IllegalStateException("no [metrics] listen");
        }
        return metrics.port();
    }

    private static ResolverSettings dnsSettings(DnsSettings dns) {
        return new ResolverSettings(dns.useSystemServers() ? ResolverSettings.system().servers() : dns.servers(),
                dns.timeout(), dns.retries());
    }

    private void startListeners() throws IOException {
        ServerTls tls = serverTls();
        RuleEngine rules = new RuleEngine(config.rules());
        RecipientPolicy recipients = new RecipientPolicy(directory);
        SenderPolicy senders = new SenderPolicy(directory, config.security().allowedSenders());
        Authenticator authenticator = authenticator(config.auth());
        ConnectionLimiter limiter = new ConnectionLimiter(config.limits().maxConnections(),
                config.limits().maxConnectionsPerClient(), config.limits().stressThreshold());
        String postmasterDomain = postmasterDomain(config);
        // One of each for all sessions: both are thread-safe, and the key store caches the loaded keys.
        InboundChecks checks = InboundChecks.configured(config.mailAuth(), config.dkim(), config.hostname(),
                dns, clock);
        OutboundSigner signer = config.dkim().sign() ? OutboundSigner.configured(config.dkim(), config.dataDir(), clock)
                : null;
        for (ListenerSettings listener : config.listeners()) {
            SessionSettings settings = new SessionSettings(config.hostname(), listener.role(), config.limits(),
                    postmasterDomain, clock, config.security().trustedNetworks(), rules, authenticator,
                    config.auth().allowPlaintextOnLoopback(), senders).withMessageAuthentication(checks, signer);
            SmtpServer server = new SmtpServer(listener, settings, spool, recipients, limiter, tls);
            server.start();
            servers.add(server);
            LOG.info("listening for {} on {}:{}", listener.name(), listener.address(), server.port());
        }
    }

    /** One authenticator for all listeners, so its throttle sees every attempt from an address. */
    private Authenticator authenticator(AuthSettings settings) throws IOException {
        AuthThrottle throttle = new AuthThrottle(new AuthThrottle.Policy(settings.maxFailures(),
                settings.failureWindow(), settings.lockout(), settings.delayBase(), settings.delayMax(),
                settings.accountDelayMax()));
        byte[] secret = ServerSecret.loadOrCreate(config.dataDir().resolve("auth-secret"));
        return new Authenticator(directory, new PasswordHasher(), throttle, secret,
                new CheckLimiter(settings.maxParallelChecks(), settings.checkWait()), settings.scramIterations());
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
        } catch (GeneralSecurityException e) {
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
        if (metrics != null) {
            metrics.close();
        }
        for (SmtpServer server : servers) {
            try {
                server.close();
            } catch (IOException e) {
                LOG.warn("closing listener {}: {}", server.listener().name(), e.toString());
            }
        }
        control.close();
        queue.close();
        smtp.close();
        lock.close();
    }
}
