package dev.tern.sts;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The optional HTTPS listener of {@code [mta_sts] listen}: {@code GET https://mta-sts.<domain>/.well-known/mta-sts.txt}
 * answers our policy ({@link PublishedPolicy}, read anew for each request so a reload applies) as
 * {@code text/plain} for every local domain (RFC 8461 §3.3); any other host or path is 404. The certificate is
 * chosen by SNI among the server's certificates, so one valid for {@code mta-sts.<domain>} must be among them.
 */
public final class PolicyServer implements AutoCloseable {

    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpsServer server;
    private final ExecutorService executor;

    private PolicyServer(HttpsServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts the listener.
     *
     * @param context     the server's TLS context (its SNI key manager picks the certificate)
     * @param parameters  the protocols and suites of the SMTP listeners' policy
     * @param localDomain whether a domain (lower-case A-label) is one of ours
     * @param policy      the policy to serve now
     */
    public static PolicyServer start(InetSocketAddress address, SSLContext context, SSLParameters parameters,
            Predicate<String> localDomain, Supplier<PublishedPolicy> policy) throws IOException {
        HttpsServer server = HttpsServer.create(address, 64);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters https) {
                https.setSSLParameters(parameters);
            }
        });
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", exchange -> answer(exchange, localDomain, policy));
        server.start();
        return new PolicyServer(server, executor);
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, Predicate<String> localDomain, Supplier<PublishedPolicy> policy)
            throws IOException {
        String domain = policyDomain(exchange.getRequestHeaders().getFirst("Host"));
        if (domain == null || !exchange.getRequestURI().getRawPath().equals(PublishedPolicy.PATH)
                || exchange.getRequestURI().getRawQuery() != null || !localDomain.test(domain)) {
            send(exchange, 404, "not found\n");
            return;
        }
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            send(exchange, 405, "method not allowed\n");
            return;
        }
        send(exchange, 200, policy.get().text());
    }

    /** The domain of a {@code Host: mta-sts.<domain>[:port]} header, lower case, or null for any other host. */
    static String policyDomain(String host) {
        if (host == null) {
            return null;
        }
        String name = host.strip().toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon >= 0 && name.indexOf(']') < 0) {
            name = name.substring(0, colon);
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (!name.startsWith("mta-sts.")) {
            return null;
        }
        return HttpsStsPolicies.normalize(name.substring("mta-sts.".length()));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", TEXT);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
