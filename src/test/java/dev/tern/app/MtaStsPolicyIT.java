package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.ConfigException;
import dev.tern.config.ConfigLoader;
import dev.tern.config.TernConfig;
import dev.tern.sts.PublishedPolicy;
import dev.tern.testdns.LoopbackHosts;
import dev.tern.tls.TestAuthority;
import dev.tern.tls.TrustAnchors;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running Tern with {@code [mta_sts] listen}: the policy of its domain over HTTPS, with the certificate of
 * {@code [[tls.certificate]]} chosen by SNI for {@code mta-sts.<domain>}; a reload changes the policy served.
 */
class MtaStsPolicyIT {

    @TempDir
    Path data;

    private Path file;

    private TernConfig load() throws ConfigException {
        return ConfigLoader.load(file, TernConfig.defaults("localhost", data)).withDataDir(data);
    }

    private void write(TestAuthority.Files cert, String mode) throws Exception {
        Files.writeString(file, """
                hostname = "mx.example.test"
                domains = ["example.test"]
                [[listener]]
                role = "mx"
                port = 0
                [[tls.certificate]]
                fullchain = "%s"
                privkey = "%s"
                [mta_sts]
                listen = "127.0.0.1:0"
                mode = "%s"
                mx = ["mx.example.test", "*.mx.example.test"]
                """.formatted(cert.fullchain(), cert.privkey(), mode));
    }

    @Test
    void theRunningServerServesItsPolicyAndAReloadChangesIt() throws Exception {
        TestAuthority ca = TestAuthority.create(data.resolve("pki"));
        TestAuthority.Files cert = ca.issue(List.of("mx.example.test", "mta-sts.example.test"));
        file = data.resolve("tern.toml");
        write(cert, "enforce");
        LoopbackHosts.add("mta-sts.example.test");
        try (Tern tern = Tern.start(load(), this::load);
             HttpClient http = HttpClient.newBuilder().sslContext(TrustAnchors.clientContext(ca.caFile())).build()) {
            URI uri = URI.create("https://mta-sts.example.test:" + tern.mtaStsPort() + PublishedPolicy.PATH);

            HttpResponse<String> enforce = http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            write(cert, "testing");
            assertThat(tern.reload().ok()).isTrue();
            HttpResponse<String> testing = http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(enforce.statusCode()).isEqualTo(200);
            assertThat(enforce.body()).isEqualTo("version: STSv1\r\nmode: enforce\r\nmx: mx.example.test\r\n"
                    + "mx: *.mx.example.test\r\nmax_age: 604800\r\n");
            assertThat(testing.body()).contains("mode: testing\r\n")
                    .isEqualTo(PublishedPolicy.of(tern.config().mtaSts(), "mx.example.test").text());
        } finally {
            LoopbackHosts.remove("mta-sts.example.test");
        }
    }
}
