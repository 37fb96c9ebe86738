package dev.tern.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tern.observe.MailLog;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics listener: {@code GET /metrics} (the Prometheus text format, or OpenMetrics when the scraper's
 * {@code Accept} asks for it), {@code /healthz} (the process answers: 200 {@code ok}) and {@code /readyz}
 * (200 {@code ready}, or 503 with the reasons of {@link Readiness}). The JDK's HTTP server is enough for three
 * read-only pages; nothing here takes a request body or a parameter.
 */
final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String READY = "";

    private final PrometheusMeterRegistry registry;
    private final Runnable beforeScrape;
    private final Readiness readiness;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicReference<String> lastProblem = new AtomicReference<>();
    private HttpServer server;

    MetricsServer(PrometheusMeterRegistry registry, Runnable beforeScrape, Readiness readiness) {
        this.registry = registry;
        this.beforeScrape = beforeScrape;
        this.readiness = readiness;
    }

    void start(String address, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 16);
        server.setExecutor(executor);
        server.createContext("/metrics", this::metrics);
        server.createContext("/healthz", this::alive);
        server.createContext("/readyz", this::ready);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void metrics(HttpExchange e) throws IOException {
        if (!exact(e, "/metrics")) {
            return;
        }
        String accept = e.getRequestHeaders().getFirst("Accept");
        String type = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : TEXT;
        String body;
        try {
            beforeScrape.run();
            body = registry.scrape(type);
        } catch (RuntimeException failure) {
            LOG.warn("metrics scrape failed: {}", failure.toString());
            send(e, 500, "text/plain; charset=utf-8", "scrape failed\n");
            return;
        }
        send(e, 200, type, body);
    }

    private void alive(HttpExchange e) throws IOException {
        if (exact(e, "/healthz")) {
            send(e, 200, "text/plain; charset=utf-8", "ok\n");
        }
    }

    private void ready(HttpExchange e) throws IOException {
        if (!exact(e, "/readyz")) {
            return;
        }
        String problem = readiness.problem();
        logChange(problem);
        if (problem == null) {
            send(e, 200, "text/plain; charset=utf-8", "ready\n");
        } else {
            send(e, 503, "text/plain; charset=utf-8", "not ready: " + problem + "\n");
        }
    }

    /**
     * One mail-log line when readiness changes, not one per probe (a balancer asks every few seconds): the
     * operator sees when and why the server stopped being ready, and when it was again.
     */
    private void logChange(String problem) {
        String before = lastProblem.getAndSet(problem == null ? READY : problem);
        if (problem == null && !READY.equals(before) && before != null) {
            MailLog.event(null, "ready").log();
        } else if (problem != null && !problem.equals(before)) {
            MailLog.event(null, "not-ready").with("reason", problem).warn();
        }
    }

    /** The context matches by prefix; anything under it, or another method than GET or HEAD, is refused. */
    private static boolean exact(HttpExchange e, String path) throws IOException {
        if (!e.getRequestURI().getPath().equals(path)) {
            send(e, 404, "text/plain; charset=utf-8", "not found\n");
            return false;
        }
        if (!e.getRequestMethod().equals("GET") && !e.getRequestMethod().equals("HEAD")) {
            e.getResponseHeaders().set("Allow", "GET, HEAD");
            send(e, 405, "text/plain; charset=utf-8", "method not allowed\n");
            return false;
        }
        return true;
    }

    private static void send(HttpExchange e, int status, String type, String body) throws IOException {
        try (e) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            e.getResponseHeaders().set("Content-Type", type);
            boolean head = e.getRequestMethod().equals("HEAD");
            e.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = e.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        executor.shutdownNow();
    }
}
