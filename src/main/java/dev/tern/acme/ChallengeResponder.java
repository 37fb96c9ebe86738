package dev.tern.acme;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The http-01 responder (RFC 8555 §8.3): {@code GET /.well-known/acme-challenge/<token>} answers the key
 * authorization of a challenge under way; every other request gets 404. It serves nothing else, so port 80
 * opened for it exposes no content.
 */
final class ChallengeResponder implements Closeable {

    static final String PREFIX = "/.well-known/acme-challenge/";

    private final Map<String, String> authorizations = new ConcurrentHashMap<>();
    private final HttpServer server;

    ChallengeResponder(String address, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 16);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** The bound port (when configured as 0, for tests). */
    int port() {
        return server.getAddress().getPort();
    }

    void offer(String token, String keyAuthorization) {
        authorizations.put(token, keyAuthorization);
    }

    void withdraw(String token) {
        authorizations.remove(token);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String answer = path.startsWith(PREFIX) && "GET".equals(exchange.getRequestMethod())
                    ? authorizations.get(path.substring(PREFIX.length())) : null;
            byte[] body = (answer == null ? "not found\n" : answer).getBytes(StandardCharsets.US_ASCII);
            // §8.3: the body is the key authorization; "application/octet-stream" is what the RFC's example uses.
            exchange.getResponseHeaders().set("Content-Type", answer == null ? "text/plain" : "application/octet-stream");
            exchange.sendResponseHeaders(answer == null ? 404 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
