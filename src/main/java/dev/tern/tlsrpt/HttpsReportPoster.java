package dev.tern.tlsrpt;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Submits a report over HTTPS (RFC 8460 §5.4): a POST of the gzip'd JSON with
 * {@code Content-Type: application/tlsrpt+gzip}; any 2xx is success. The server's certificate is verified
 * against the trusted CAs and the URI's host name (the JDK's defaults, never switched off), redirects are not
 * followed, and the whole exchange is bounded by {@code https_timeout}.
 */
final class HttpsReportPoster {

    static final String MEDIA_TYPE = "application/tlsrpt+gzip";

    private final HttpClient client;
    private final Duration timeout;

    /** @param tls the trusted CAs ({@code SSLContext.getDefault()} in production) */
    HttpsReportPoster(SSLContext tls, Duration timeout) {
        this.client = HttpClient.newBuilder().sslContext(tls).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
    }

    /** Posts {@code gzipped}; throws with the reason when the endpoint did not take it. */
    void post(URI endpoint, byte[] gzipped) throws IOException {
        if (!"https".equalsIgnoreCase(endpoint.getScheme())) {
            throw new IOException("not an https URI: " + endpoint);
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzipped)).build();
        HttpResponse<Void> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException e) {
            throw new IOException("no answer within " + timeout.toSeconds() + "s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("HTTP status " + response.statusCode());
        }
    }

    void close() {
        client.close();
    }
}
