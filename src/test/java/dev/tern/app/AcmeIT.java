package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.AcmeSettings;
import dev.tern.config.ListenerSettings;
import dev.tern.config.TernConfig;
import dev.tern.testdns.TestDnsServer;
import dev.tern.tls.ReloadingCertificate;
import dev.tern.tls.TlsCertificates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates from a real ACME server: Debian's {@code pebble} (Let's Encrypt's test CA, installed by .ci/run),
 * validating Tern's http-01 answers for real: it resolves {@code mx.tern.test} through a loopback DNS server and
 * fetches the key authorization from Tern's responder. Tern starts on its self-signed placeholder, serves the
 * issued certificate over STARTTLS without a restart, and renews it while running ({@code renew_before} is set
 * beyond pebble's validity, so every check renews).
 */
class AcmeIT {

    private static final String NAME = "mx.tern.test";

    @TempDir
    static Path data;
    @TempDir
    static Path pebbleDir;
    static TestDnsServer dns;
    static Process pebble;
    static Tern tern;
    static int managementPort;
    static SSLContext pebbleTrust;

    @BeforeAll
    static void start() throws Exception {
        dns = TestDnsServer.start().add(NAME, "A", "127.0.0.1");
        Path pebbleCert = pebbleHttpsCertificate();
        int acmePort = freePort();
        managementPort = freePort();
        int httpPort = freePort();
        pebble = startPebble(acmePort, httpPort, pebbleCert);
        pebbleTrust = trusting(pebbleCert);
        AcmeSettings acme = new AcmeSettings(URI.create("https://localhost:" + acmePort + "/dir"), "postmaster@tern.test",
                List.of(NAME), "127.0.0.1", httpPort, Duration.ofDays(3650), Duration.ofSeconds(2), pebbleCert);
        TernConfig config = TernConfig.defaults(NAME, data)
                .withListeners(List.of(new ListenerSettings("mx", ListenerSettings.Role.MX, "127.0.0.1", 0)))
                .withAcme(acme);
        tern = Tern.start(config);
    }

    @AfterAll
    static void stop() throws Exception {
        if (tern != null) {
            tern.close();
        }
        if (pebble != null) {
            pebble.destroy();
            pebble.waitFor(10, TimeUnit.SECONDS);
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void theIssuedCertificateIsServedAndRenewedWithoutARestart() throws Exception {
        X509Certificate first = awaitServed(cert -> !isSelfSigned(cert), "a certificate from pebble");
        assertThat(first.getSubjectAlternativeNames()).contains(List.of(2, NAME));
        assertThat(first.getIssuerX500Principal().getName()).containsIgnoringCase("pebble");
        X509Certificate second = awaitServed(cert -> !isSelfSigned(cert)
                && !cert.getSerialNumber().equals(first.getSerialNumber()), "a renewed certificate");
        assertThat(second.getNotAfter()).isAfterOrEqualTo(first.getNotAfter());
        assertThat(Files.readString(data.resolve("acme/live/" + NAME + "/fullchain.pem"))).contains("BEGIN CERTIFICATE");
        if (Files.getFileStore(data).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(data.resolve("acme/live/" + NAME + "/privkey.pem")).toString())
                    .isEqualTo("[OWNER_READ, OWNER_WRITE]");
            assertThat(Files.getPosixFilePermissions(data.resolve("acme/account-key.pem")).toString())
                    .isEqualTo("[OWNER_READ, OWNER_WRITE]");
        }
    }

    @Test
    void theServedChainLeadsToPebblesRoot() throws Exception {
        awaitServed(cert -> !isSelfSigned(cert), "a certificate from pebble");
        java.security.cert.Certificate[] chain = servedChain();
        X509Certificate root = pebbleRoot();
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(List.of(chain)), parameters);
    }

    @Test
    void theResponderAnswersNothingButChallenges() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + tern.acme().httpPort() + "/.well-known/acme-challenge/unknown")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + tern.acme().httpPort() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
    }

    private interface CertificateCheck {
        boolean test(X509Certificate cert) throws Exception;
    }

    private static X509Certificate awaitServed(CertificateCheck check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        X509Certificate seen = null;
        while (System.nanoTime() < deadline) {
            seen = (X509Certificate) servedChain()[0];
            if (check.test(seen)) {
                return seen;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Tern never served " + what + "; last seen: " + seen.getSubjectX500Principal()
                + " from " + seen.getIssuerX500Principal());
    }

    private static java.security.cert.Certificate[] servedChain() throws IOException {
        try (SmtpTestClient client = new SmtpTestClient(tern.port("mx"))) {
            client.reply();
            client.command("EHLO client.tern.test");
            assertThat(client.command("STARTTLS")).startsWith("220");
            client.startTls();
            return client.peerCertificates();
        }
    }

    private static boolean isSelfSigned(X509Certificate cert) {
        return cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal());
    }

    private static X509Certificate pebbleRoot() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(pebbleTrust).build();
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + managementPort + "/roots/0")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(response.body()));
    }

    /** A certificate for pebble's own HTTPS: Tern's self-signed maker, for "localhost". */
    private static Path pebbleHttpsCertificate() throws IOException {
        ReloadingCertificate cert = TlsCertificates.selfSigned(pebbleDir.resolve("https"), "localhost");
        return cert.chainFile();
    }

    private static Process startPebble(int acmePort, int httpPort, Path cert) throws Exception {
        Path binary = Path.of("/usr/bin/pebble");
        if (!Files.isExecutable(binary)) {
            throw new AssertionError("pebble is not installed (Debian package pebble; .ci/run installs it)");
        }
        Path key = cert.resolveSibling("selfsigned-privkey.pem");
        Path config = pebbleDir.resolve("pebble.json");
        Files.writeString(config, """
                {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
                  "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
                  "ocspResponderURL": "", "externalAccountBindingRequired": false}}
                """.formatted(acmePort, managementPort, cert, key, httpPort, freePort()));
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "-config", config.toString(),
                "-dnsserver", "127.0.0.1:" + dns.port())
                .redirectErrorStream(true).redirectOutput(pebbleDir.resolve("pebble.log").toFile());
        builder.environment().put("PEBBLE_VA_NOSLEEP", "1"); // no random wait of up to 15 s before validating
        builder.environment().put("PEBBLE_WFE_NONCEREJECT", "0"); // no deliberately refused nonces
        Process process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!listening(acmePort)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("pebble did not start: " + Files.readString(pebbleDir.resolve("pebble.log")));
            }
            Thread.sleep(50);
        }
        return process;
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            store.setCertificateEntry("pebble", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static boolean listening(int port) {
        try (Socket probe = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
