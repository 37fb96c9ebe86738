package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.MetricsSettings;
import dev.tern.config.TernConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /readyz} of a real Tern whose {@code min_free_disk} is above the free space of its file system: 503 with
 * the reason, while {@code /healthz} still says the process is alive and mail is still accepted (readiness tells a
 * balancer to go elsewhere; it refuses nothing itself). Without {@code [metrics] listen} nothing listens.
 */
class MetricsFloorIT {

    @TempDir
    Path data;

    @Test
    void notReadyBelowTheDiskFloor() throws Exception {
        long free = Files.getFileStore(data).getUsableSpace();
        long floor = free + (1L << 40);
        TernConfig config = TernFixture.config(data).withMetrics(
                MetricsSettings.defaults().withListen("127.0.0.1", 0).withMinFreeDisk(floor));
        try (Tern tern = Tern.start(config)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + tern.metricsPort();
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).startsWith("not ready: free disk ").endsWith(" is below min_free_disk " + floor + "\n");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            try (SmtpTestClient client = new SmtpTestClient(tern.port("mx"))) {
                assertThat(client.reply()).startsWith("220 ");
            }
        }
    }

    @Test
    void offUnlessListenIsGiven() throws Exception {
        try (Tern tern = Tern.start(TernFixture.config(data))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(tern::metricsPort)
                    .isInstanceOf(IllegalStateException.class);
        }
    }
}
