package dev.tern.tlsrpt;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A report receiver over HTTPS on loopback (the JDK's HttpsServer), with a certificate for {@code localhost}
 * made by the JDK's keytool. It answers 503 to the first {@code failFirst} posts, then 201, and keeps what came.
 */
final class ReportEndpoint implements AutoCloseable {

    record Post(String contentType, byte[] body) {
    }

    private static final char[] PASSWORD = "changeit".toCharArray();

    private final HttpsServer server;
    private final KeyStore store;
    final List<Post> posts = new CopyOnWriteArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();

    ReportEndpoint(Path dir, int failFirst) throws Exception {
        Path file = dir.resolve("endpoint.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "endpoint", "-keyalg", "EC", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(PASSWORD)).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        if (keytool.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(file.toFile())) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/tlsrpt", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = attempts.incrementAndGet() <= failFirst ? 503 : 201;
            if (status == 201) {
                posts.add(new Post(exchange.getRequestHeaders().getFirst("Content-Type"), body));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    URI uri() {
        return URI.create("https://localhost:" + server.getAddress().getPort() + "/tlsrpt");
    }

    /** A client context that trusts this endpoint's certificate (and nothing else). */
    SSLContext clientTrust() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("endpoint", store.getCertificate("endpoint"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
