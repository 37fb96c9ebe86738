package dev.tern.sts;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.tern.tls.ServerTls;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A policy domain's web server on loopback, for tests: real HTTPS (the JDK's {@link HttpsServer}) with the
 * certificate the test chose, answering each request as the test scripted it (a policy, a redirect, a flood, a
 * trickle), and recording the paths asked for. Public for the end-to-end tests of the courier, which serve
 * several policy domains' policies from one host.
 */
public final class PolicyHost implements AutoCloseable {

    /** How the server answers a request. */
    @FunctionalInterface
    public interface Answer {
        void answer(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile Answer answer = e -> send(e, 404, "text/plain", "not found");

    public PolicyHost(ServerTls tls) throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.context()) {
            @Override
            public void configure(HttpsParameters parameters) {
                parameters.setSSLParameters(tls.parameters());
            }
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            try {
                answer.answer(exchange);
            } catch (InterruptedException stopping) {
                exchange.close();
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The paths requested so far. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    public PolicyHost answer(Answer value) {
        answer = value;
        return this;
    }

    /** Serves {@code text} as {@code text/plain} at the well-known path, 404 elsewhere. */
    public PolicyHost policy(String text) {
        return policy("text/plain; charset=utf-8", text);
    }

    public PolicyHost policy(String type, String text) {
        return answer(e -> {
            if (e.getRequestURI().getPath().equals("/.well-known/mta-sts.txt")) {
                send(e, 200, type, text);
            } else {
                send(e, 404, "text/plain", "not found");
            }
        });
    }

    public static void send(HttpExchange e, int status, String type, String body) throws IOException {
        try (e) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            if (type != null) {
                e.getResponseHeaders().set("Content-Type", type);
            }
            e.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = e.getResponseBody()) {
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
