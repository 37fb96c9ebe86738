package dev.tern.metrics;

import dev.tern.config.MetricsSettings;
import dev.tern.dns.DnsResolver;
import dev.tern.observe.Metrics;
import dev.tern.queue.QueueCounts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics of one server: the registry with Tern's meters ({@link MeterMetrics}, installed as the
 * process's {@link Metrics}) and the JVM's (memory, threads, GC, CPU, uptime), the queue and listener gauges,
 * read once per scrape, and the HTTP listener ({@link MetricsServer}). Built before the DNS resolver (which it
 * meters) and started after the listeners (whose state {@code /readyz} reports); closed first.
 */
public final class MetricsService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsService.class);

    private final MetricsSettings settings;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MeterMetrics metrics;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private volatile QueueCounts queue = new QueueCounts(0, 0, 0, null);
    private volatile Map<String, Boolean> accepting = Map.of();
    private volatile Instant scraped = Instant.now();
    private MetricsServer server;

    /** Registers the meters and installs them; {@code listeners} are the SMTP listeners' names. */
    public MetricsService(MetricsSettings settings, List<String> listeners) {
        this.settings = settings;
        this.metrics = new MeterMetrics(registry, listeners, settings.maxDestinations());
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gc.bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        for (String state : List.of("active", "deferred", "held")) {
            Gauge.builder("tern.queue.messages", this, s -> s.queued(state)).description("Messages in the queue")
                    .tag("state", state).register(registry);
        }
        Gauge.builder("tern.queue.oldest.age", this, MetricsService::oldestAge).baseUnit("seconds")
                .description("How long the oldest queued message has waited; 0 when the queue is empty")
                .register(registry);
        for (String listener : listeners) {
            Gauge.builder("tern.listener.up", this, s -> Boolean.TRUE.equals(s.accepting.get(listener)) ? 1 : 0)
                    .description("1 while the SMTP listener accepts connections").tag("listener", listener)
                    .register(registry);
        }
        Metrics.install(metrics);
    }

    /** The resolver with lookup counters and latency around it. */
    public DnsResolver meter(DnsResolver dns) {
        return new MeteredResolver(dns, registry);
    }

    /**
     * Starts the HTTP listener.
     *
     * @param listeners each SMTP listener's name and whether it accepts, asked at each scrape and readiness check
     * @param spool     the spool directory {@code /readyz} checks
     * @param counts    the queue as it stands, asked at each scrape
     */
    public void start(Supplier<Map<String, Boolean>> listeners, Path spool, Supplier<QueueCounts> counts)
            throws IOException {
        Readiness readiness = new Readiness(listeners, spool, settings.minFreeDisk());
        server = new MetricsServer(registry, () -> refresh(listeners, counts), readiness);
        server.start(settings.address(), settings.port());
        LOG.info("metrics on http://{}:{}/metrics", settings.address(), server.port());
    }

    /** The bound port of the HTTP listener (useful with port 0). */
    public int port() {
        return server.port();
    }

    private void refresh(Supplier<Map<String, Boolean>> listeners, Supplier<QueueCounts> counts) {
        accepting = Map.copyOf(listeners.get());
        queue = counts.get();
        scraped = Instant.now();
    }

    private double queued(String state) {
        QueueCounts q = queue;
        return switch (state) {
            case "active" -> q.active();
            case "deferred" -> q.deferred();
            default -> q.held();
        };
    }

    private double oldestAge() {
        QueueCounts q = queue;
        return q.oldest() == null ? 0 : Math.max(0, Duration.between(q.oldest(), scraped).toMillis() / 1000.0);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        Metrics.uninstall(metrics);
        gc.close();
        registry.close();
    }
}
