package dev.tern.app;

import dev.tern.acme.AcmeRenewal;
import dev.tern.config.ConfigException;
import dev.tern.config.ConfigValues;
import dev.tern.config.ListenerSettings;
import dev.tern.config.MtaStsSettings;
import dev.tern.config.ServiceSettings;
import dev.tern.config.TernConfig;
import dev.tern.control.ControlReply;
import dev.tern.control.ControlServer;
import dev.tern.control.ServerStatus;
import dev.tern.delivery.LocalCourier;
import dev.tern.io.PrivateFiles;
import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.observe.MailLog;
import dev.tern.dns.DnsResolver;
import dev.tern.metrics.MetricsService;
import dev.tern.observe.Metrics;
import dev.tern.policy.RecipientPolicy;
import dev.tern.policy.dkim.RsaEngine;
import dev.tern.policy.greylist.Greylist;
import dev.tern.policy.mailauth.OutboundSigner;
import dev.tern.policy.ratelimit.RateLimits;
import dev.tern.policy.screen.Screen;
import dev.tern.policy.spf.SpfChecker;
import dev.tern.policy.spf.SpfOutcome;
import dev.tern.queue.FileSpool;
import dev.tern.queue.QueueRunner;
import dev.tern.queue.SpoolForwarder;
import dev.tern.queue.SpoolLock;
import dev.tern.queue.SystemDelayScheduler;
import dev.tern.queue.dsn.DsnSink;
import dev.tern.smtp.server.ConnectionLimiter;
import dev.tern.smtp.server.SmtpServer;
import dev.tern.store.FileDirectory;
import dev.tern.store.MaildirStore;
import dev.tern.sts.PolicyServer;
import dev.tern.sts.PublishedPolicy;
import dev.tern.tls.ServerTls;
import dev.tern.tlsrpt.TlsReporting;
import dev.tern.tlsrpt.TlsResults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Tern: the concrete objects wired together, started in dependency order (the data directory's
 * queue lock, stores, spool, couriers, queue, control socket, then listeners) and stopped in reverse, so no
 * listener accepts mail the queue cannot take.
 *
 * <p>What a reload may change lives in a {@link Generation}, held in one reference: {@link #reload} reads the
 * file again with the same loader, builds a new generation and swaps it in; sessions and delivery attempts
 * under way keep the one they started with. {@link #stop} is the graceful stop of SIGTERM.
 */
public final class Tern implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tern.class);

    /** Where the configuration comes from: the same loader at start and at every reload. */
    @FunctionalInterface
    public interface ConfigSource {
        TernConfig load() throws ConfigException;
    }

    private final ConfigSource source;
    private final Clock clock = Clock.systemDefaultZone();
    private final FileDirectory directory;
    private final FileSpool spool;
    private final Generation.Shared shared;
    /** Keeps the ACME certificate renewed, or null when {@code [acme]} is off. */
    private final AcmeRenewal acme;
    /** The MX listeners' screen ({@code [screen]}), or null when none is configured. */
    private final Screen screen;
    private final AtomicReference<Generation> live = new AtomicReference<>();
    private final LiveCourier courier;
    private final ConnectionLimiter limiter;
    private final QueueRunner queue;
    private final SpoolLock lock;
    private final ControlServer control;
    private final List<SmtpServer> servers = new CopyOnWriteArrayList<>(); // read by STATUS and /readyz meanwhile
    private final ReentrantLock reloading = new ReentrantLock();
    private final AtomicBoolean stopped = new AtomicBoolean();
    /** The {@code [metrics]} listener and meters, or null when it is off. */
    private final MetricsService metrics;
    private final Instant started = Instant.now();
    /** The HTTPS listener of {@code [mta_sts] listen} serving our MTA-STS policy, or null when it is off. */
    private volatile PolicyServer stsPolicy;
    /** Counts TLS outcomes and sends the daily reports ({@code [tls_reports]}), or null when off. */
    private final TlsReporting tlsReports;

    /** Builds the objects; {@code lock} (one process per data directory) is already held. */
    private Tern(TernConfig config, ConfigSource source, SpoolLock lock) throws IOException {
        this.source = source;
        this.lock = lock;
        this.directory = new FileDirectory(config.dataDir(), config.domains());
        // both remove an earlier run's leftovers (and empty its journal): only under the lock
        this.spool = config.queue().journal() ? FileSpool.journaled(config.dataDir()) : new FileSpool(config.dataDir());
        this.metrics = config.metrics().enabled() ? new MetricsService(config.metrics(),
                config.listeners().stream().map(ListenerSettings::name).toList()) : null;
        // A user's quota: their own (tern user set --quota), else [mailbox] default_quota as now configured.
        MaildirStore mailboxes = new MaildirStore(config.dataDir(), config.hostname(),
                user -> directory.quotaOf(user).orElse(config().mailbox().defaultQuota()));
        // Built once with the process (Reload.RESTART): they keep state (rates, triplets, passed clients)
        // that a reload must not forget, and ask DNS through a resolver of their own.
        UnaryOperator<DnsResolver> metered = metrics == null ? dns -> dns : metrics::meter;
        DnsResolver processDns = metered.apply(Generation.resolver(config.dns()));
        RateLimits rateLimits = new RateLimits(config.rateLimits(), config.security().trustedNetworks(), clock);
        // Before the first generation: its courier tells it how each TLS session went.
        this.tlsReports = openTlsReports(config, processDns, spool, this::config, clock);
        this.shared = new Generation.Shared(directory, new LocalCourier(directory, mailboxes), clock, rateLimits,
                openGreylist(config, processDns, clock), metered, tlsResults(), mailboxes, new SpoolForwarder(spool));
        this.screen = config.screen().active()
                ? Screen.open(config.screen(), processDns, config.dataDir(), config.hostname(), clock) : null;
        this.acme = config.acme().enabled()
                ? new AcmeRenewal(config.acme(), config.hostname(), config.dataDir(), clock) : null;
        Generation first = Generation.build(config, shared, null);
        live.set(first);
        this.courier = new LiveCourier(first);
        this.limiter = new ConnectionLimiter(config.limits().maxConnections(),
                config.limits().maxConnectionsPerClient(), config.limits().stressThreshold());
        DsnSink bounces = new DsnSink(spool, config.hostname(), new Address("postmaster",
                Domain.of(Generation.postmasterDomain(config))), directory::isLocalDomain, config.bounce(), clock);
        this.queue = new QueueRunner(spool, courier, config.queue(), new SystemDelayScheduler(clock), bounces);
        this.control = new ControlServer(config.dataDir(), queue, this::status)
                .on("RELOAD", () -> {
                    ReloadOutcome outcome = reload();
                    return new ControlReply(outcome.ok(), outcome.text());
                });
    }

    /** Builds and starts everything the configuration describes; {@link #reload} has no file to read. */
    public static Tern start(TernConfig config) throws IOException {
        return start(config, () -> config);
    }

    /** Builds and starts everything {@code config} describes; {@link #reload} asks {@code source} again. */
    public static Tern start(TernConfig config, ConfigSource source) throws IOException {
        PrivateFiles.createDirectories(config.dataDir());
        SpoolLock lock = SpoolLock.acquire(config.dataDir());
        Tern tern;
        try {
            tern = new Tern(config, source, lock);
        } catch (IOException | RuntimeException e) {
            Metrics.install(Metrics.NONE); // a MetricsService built before the failure installed its meters
            lock.close();
            throw e;
        }
        logRsaEngine(config);
        try {
            tern.queue.start();
            if (tern.tlsReports != null) {
                tern.tlsReports.start();
            }
            tern.startControl();
            tern.startListeners();
            if (tern.acme != null) {
                tern.acme.start();
            }
            tern.startStsPolicy();
            tern.startMetrics();
        } catch (IOException | RuntimeException e) {
            tern.close();
            throw e;
        }
        return tern;
    }

    /** Once at start: what makes rsa-sha256 signatures ({@code [dkim] crypto}), and why not libcrypto if it does not. */
    private static void logRsaEngine(TernConfig config) {
        if (config.dkim().sign()) {
            RsaEngine engine = OutboundSigner.rsaEngine(config.dkim());
            if (engine.reason().isEmpty()) {
                LOG.info("DKIM rsa-sha256 signatures by libcrypto ({})", engine.version());
            } else {
                LOG.info("DKIM rsa-sha256 signatures by the JDK's provider: {}", engine.reason().get());
            }
        }
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
            metrics.start(this::accepting, config().dataDir().resolve("spool"), () -> {
                try {
                    return queue.counts();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /**
     * Our MTA-STS policy over HTTPS for {@code mta-sts.<each local domain>} (RFC 8461 §3.3), with the certificates
     * of the listeners at start; the policy itself is read from the running configuration at each request.
     */
    private void startStsPolicy() throws IOException {
        MtaStsSettings sts = config().mtaSts();
        if (!sts.listening()) {
            return;
        }
        ServerTls tls = live.get().tls();
        stsPolicy = PolicyServer.start(
                new InetSocketAddress(InetAddress.getByName(sts.listenAddress()), sts.listenPort()), tls.context(),
                tls.parameters(), domain -> directory.isLocalDomain(Domain.of(domain)),
                () -> PublishedPolicy.of(config().mtaSts(), config().hostname()));
        LOG.info("serving the MTA-STS policy on {}:{}", sts.listenAddress(), stsPolicy.port());
    }

    /** The bound port of the MTA-STS policy listener (useful with port 0). */
    public int mtaStsPort() {
        PolicyServer server = stsPolicy;
        if (server == null) {
            throw new IllegalStateException("no [mta_sts] listen");
        }
        return server.port();
    }

    private Map<String, Boolean> accepting() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (ListenerSettings listener : config().listeners()) {
            out.put(listener.name(), servers.stream()
                    .anyMatch(s -> s.listener().name().equals(listener.name()) && s.accepting()));
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

    private void startListeners() throws IOException {
        // The mailbox server's check follows reloads: each RCPT asks the generation current then.
        RecipientPolicy recipients = new RecipientPolicy(directory, shared.quota(), () -> live.get().srs(),
                r -> live.get().mailboxes().check(r));
        for (ListenerSettings listener : config().listeners()) {
            String name = listener.name();
            SmtpServer server = new SmtpServer(listener, () -> live.get().session(name), spool, recipients, limiter,
                    () -> live.get().tls(), listener.role() == ListenerSettings.Role.MX ? screen : null);
            server.start();
            servers.add(server);
            LOG.info("listening for {} on {}:{}", name, listener.address(), server.port());
        }
    }

    /** What a reload did: applied (with what changed and what needs a restart) or refused (and why). */
    public record ReloadOutcome(boolean ok, String text) {
    }

    /**
     * Reads the configuration again (SIGHUP, {@code tern reload}). A file that does not load, or whose TLS
     * files do not, is refused with the reason and the running configuration stays; otherwise new sessions
     * and delivery attempts use the new one, and what only a restart can change is reported.
     */
    public ReloadOutcome reload() {
        reloading.lock();
        try {
            Generation running = live.get();
            Reload reload;
            Generation next;
            try {
                reload = Reload.between(running.config(), source.load());
                next = Generation.build(reload.config(), shared, running);
            } catch (ConfigException | IOException | RuntimeException e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                MailLog.event(null, "reload").with("result", "refused").with("reason", why).warn();
                return new ReloadOutcome(false, "refused, the running configuration stays: " + why);
            }
            live.set(next);
            courier.replace(next);
            var limits = next.config().limits();
            limiter.resize(limits.maxConnections(), limits.maxConnectionsPerClient(), limits.stressThreshold());
            MailLog.event(null, "reload").with("result", "ok")
                    .with("changed", reload.changed().isEmpty() ? null : String.join(" ", reload.changed()))
                    .with("restart", reload.restart().isEmpty() ? null : String.join(" ", reload.restart()))
                    .log();
            if (!reload.restart().isEmpty()) {
                LOG.warn("reload: these settings changed but need a restart: {}", String.join(", ", reload.restart()));
            }
            return new ReloadOutcome(true, "reloaded: " + reload.summary());
        } finally {
            reloading.unlock();
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

    /** The configuration running now (the last one reloaded). */
    public TernConfig config() {
        return live.get().config();
    }

    public QueueRunner queue() {
        return queue;
    }

    /**
     * The graceful stop (SIGTERM): no new connections; sessions waiting for a command get 421 4.3.2; a
     * session in DATA may finish its message within {@code [shutdown] grace}, then gets its reply and the 421;
     * delivery attempts under way may end within {@code delivery_grace}. What is cut at a bound was not
     * acknowledged (a session) or is tried again after the restart (a delivery): nothing is lost.
     */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        ServiceSettings service = config().service();
        MailLog.event(null, "stopping").with("sessions", sessionCount())
                .with("grace", ConfigValues.formatDuration(service.shutdownGrace())).log();
        for (SmtpServer server : servers) {
            try {
                server.stopAccepting();
            } catch (IOException e) {
                LOG.warn("closing listener {}: {}", server.listener().name(), e.toString());
            }
        }
        servers.forEach(SmtpServer::stopSessions);
        long deadline = System.nanoTime() + service.shutdownGrace().toNanos();
        try {
            for (SmtpServer server : servers) {
                server.awaitSessions(Duration.ofNanos(deadline - System.nanoTime()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int cut = sessionCount();
        boolean delivered = finish(service.deliveryGrace());
        MailLog.event(null, "stopped").with("sessions_cut", cut)
                .with("deliveries", delivered ? "ended" : "cut, to be retried").log();
    }

    private int sessionCount() {
        return servers.stream().mapToInt(SmtpServer::sessionCount).sum();
    }

    /** Stops at once: sessions are cut, running delivery attempts get the queue's usual 30 seconds. */
    @Override
    public void close() {
        if (stopped.compareAndSet(false, true)) {
            finish(Duration.ofSeconds(30));
        }
    }

    /** Closes the listeners (cutting any session left), the control socket, then the queue within {@code grace}. */
    private boolean finish(Duration grace) {
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
        closeQuietly(stsPolicy, "the MTA-STS policy listener");
        if (acme != null) {
            acme.close();
        }
        closeQuietly(tlsReports, "the TLS report counts"); // before the queue: a report may still be committed
        boolean ended = queue.close(grace);
        courier.close();
        closeQuietly(screen, "the screen's cache");
        closeQuietly(shared.greylist(), "the greylist");
        lock.close();
        return ended;
    }

    private static void closeQuietly(AutoCloseable closeable, String what) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("closing {}: {}", what, e.toString());
        }
    }

    /** The greylist of {@code <data>/greylist}, when on; SPF for its skip list asks the given resolver. */
    private static Greylist openGreylist(TernConfig config, DnsResolver dns, Clock clock) throws IOException {
        if (!config.greylist().enabled()) {
            return null;
        }
        SpfChecker spf = new SpfChecker(dns, config.hostname());
        return Greylist.open(config.greylist(), config.dataDir().resolve("greylist"), clock,
                (client, sender, helo) -> spf.checkMailFrom(client, sender, helo).outcome() == SpfOutcome.PASS);
    }

    /** The rate limits shared by every listener (what they refused: RateLimitIT reads it). */
    public RateLimits rateLimits() {
        return shared.rateLimits();
    }

    /** The greylist, or null when off (what it passed: GreylistIT reads it). */
    public Greylist greylist() {
        return shared.greylist();
    }

    /** The ACME renewal, or null when {@code [acme]} is off. */
    public AcmeRenewal acme() {
        return acme;
    }

    /**
     * The TLS reporting of {@code [tls_reports]} (RFC 8460), counting in {@code <data>/tlsrpt} and sending its
     * report mail through the spool; null when off.
     */
    private static TlsReporting openTlsReports(TernConfig config, DnsResolver dns, FileSpool spool,
                                               java.util.function.Supplier<TernConfig> running, Clock clock)
            throws IOException {
        if (!config.tlsReports().enabled()) {
            return null;
        }
        try {
            // the A-label: report mail is plain ASCII, sent without SMTPUTF8
            Address from = Address.parseMailbox(config.tlsReports().fromFor(
                    Domain.of(Generation.postmasterDomain(config)).key()), false);
            return TlsReporting.open(config.tlsReports(), config.hostname(), from,
                    config.dataDir().resolve("tlsrpt"), dns, new SpoolReportMailer(spool, running, clock),
                    javax.net.ssl.SSLContext.getDefault(), clock);
        } catch (dev.tern.mail.AddressException | java.security.NoSuchAlgorithmException e) {
            throw new IOException("[tls_reports]: " + e.getMessage(), e);
        }
    }

    /**
     * Where the courier tells how each TLS session went (RFC 8460): the daily reports' counts, or
     * {@link TlsResults#NONE} when {@code [tls_reports]} is off.
     */
    public TlsResults tlsResults() {
        return tlsReports != null ? tlsReports : TlsResults.NONE;
    }

    /** The TLS reporting, or null when off (TlsReportIT sends a day's reports through it). */
    TlsReporting tlsReporting() {
        return tlsReports;
    }
}
