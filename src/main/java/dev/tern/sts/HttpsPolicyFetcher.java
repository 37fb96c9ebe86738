package dev.tern.sts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The policy fetch of RFC 8461 §3.3 on the JDK's HTTP client: {@code GET https://mta-sts.<domain>/.well-known/mta-sts.txt}
 * over TLS 1.2 or 1.3, the certificate verified for {@code mta-sts.<domain>} against the trusted authorities;
 * no redirect followed, no HTTP cache, only {@code 200} with media type {@code text/plain}; the whole exchange
 * bounded by a deadline and the body by a size, so a slow or endless server cannot hold a delivery attempt.
 *
 * <p>The host name is resolved by the JDK (the system's resolver), as any HTTPS client does.
 */
final class HttpsPolicyFetcher implements PolicyFetcher, AutoCloseable {

    static final String PATH = "/.well-known/mta-sts.txt";

    private final HttpClient client;
    private final Duration timeout;
    private final long maxSize;
    private final int port;

    /**
     * @param context the trusted authorities ({@link dev.tern.tls.TrustAnchors#clientContext})
     * @param port    443, or another port for tests
     */
    HttpsPolicyFetcher(SSLContext context, Duration timeout, long maxSize, int port) {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"}); // RFC 8996
        this.client = HttpClient.newBuilder()
                .sslContext(context)
                .sslParameters(parameters)
                .followRedirects(HttpClient.Redirect.NEVER) // RFC 8461 §3.3: redirects MUST NOT be followed
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.timeout = timeout;
        this.maxSize = maxSize;
        this.port = port;
    }

    static URI uri(String domain, int port) {
        return URI.create("https://mta-sts." + domain + (port == 443 ? "" : ":" + port) + PATH);
    }

    @Override
    public Fetch fetch(String domain) {
        URI uri = uri(domain, port);
        HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(timeout).build();
        CompletableFuture<HttpResponse<byte[]>> exchange =
                client.sendAsync(request, info -> new BoundedBody(maxSize));
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return new Failure(FETCH_ERROR, uri + ": no complete answer within " + timeout.toSeconds() + "s");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return new Failure(FETCH_ERROR, uri + ": interrupted");
        } catch (ExecutionException e) {
            return failure(uri, e.getCause());
        }
        return judge(uri, response);
    }

    /** §3.3: only {@code 200}; a redirect is not followed; the media type must be {@code text/plain}. */
    private static Fetch judge(URI uri, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status >= 300 && status < 400) {
            return new Failure(FETCH_ERROR, uri + ": HTTP " + status + " redirect to "
                    + response.headers().firstValue("Location").orElse("nowhere")
                    + " not followed (RFC 8461 §3.3)");
        }
        if (status != 200) {
            return new Failure(FETCH_ERROR, uri + ": HTTP " + status);
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        String media = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!media.equals("text/plain")) {
            return new Failure(PolicyFetcher.INVALID, uri + ": media type \""
                    + (type.isEmpty() ? "none" : type) + "\", not text/plain (RFC 8461 §3.3)");
        }
        try {
            return new Body(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(response.body()))
                    .toString());
        } catch (CharacterCodingException e) {
            return new Failure(PolicyFetcher.INVALID, uri + ": the policy is not UTF-8 text");
        }
    }

    /** A certificate that does not verify is {@code sts-webpki-invalid}; every other failure a fetch error. */
    private Fetch failure(URI uri, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof TooLarge) {
                return new Failure(PolicyFetcher.INVALID, uri + ": the policy is larger than " + maxSize + " octets");
            }
            if (t instanceof GeneralSecurityException || t instanceof javax.net.ssl.SSLPeerUnverifiedException) {
                return new Failure(WEBPKI_INVALID, uri + ": the certificate does not verify: " + message(t));
            }
        }
        return new Failure(FETCH_ERROR, uri + ": " + message(cause));
    }

    /** The exception's name and the first message along its causes (a refused connection has none of its own). */
    private static String message(Throwable t) {
        String text = null;
        for (Throwable c = t; c != null && (text == null || text.isBlank()); c = c.getCause()) {
            text = c.getMessage();
        }
        return t.getClass().getSimpleName() + (text == null || text.isBlank() ? "" : " " + text);
    }

    @Override
    public void close() {
        client.shutdownNow();
    }

    /** The body collected up to {@code limit} octets; one more ends the exchange. */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final long limit;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        BoundedBody(long limit) {
            this.limit = limit;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (out.size() + (long) buffer.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge());
                    return;
                }
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                out.writeBytes(bytes);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }
    }

    /** The body went over the size limit. */
    private static final class TooLarge extends IOException {
        TooLarge() {
            super("too large");
        }
    }
}
