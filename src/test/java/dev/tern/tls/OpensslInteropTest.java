package dev.tern.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handshakes with {@code openssl s_client}, when it is installed (skipped otherwise). */
class OpensslInteropTest {

    @TempDir
    static Path dir;

    private static Path openssl;
    private static Path caFile;
    private static Loopback loopback;

    record Run(int exit, String output) {
    }

    @BeforeAll
    static void start() throws Exception {
        openssl = onPath("openssl");
        assumeTrue(openssl != null, "openssl is not installed");
        TestPki pki = new TestPki();
        caFile = dir.resolve("ca.pem");
        Files.writeString(caFile, TestPki.pem(pki.ca()));
        List<ReloadingCertificate> certs = new ArrayList<>();
        for (String name : List.of("default.test", "a.example")) {
            Path chain = dir.resolve(name + "-fullchain.pem");
            Path key = dir.resolve(name + "-privkey.pem");
            TestPki.write(pki.issue(name, List.of(name), name.startsWith("a")), TestPki.KeyForm.LEGACY, chain, key);
            certs.add(TlsCertificates.watch(chain, key));
        }
        loopback = new Loopback(ServerTls.create(certs));
    }

    @AfterAll
    static void stop() throws Exception {
        if (loopback != null) {
            loopback.close();
        }
    }

    @Test
    void tls13WithSniAndAVerifiedChain() throws Exception {
        Run run = sClient("-servername", "a.example", "-CAfile", caFile.toString(), "-verify_return_error");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("Protocol version: TLSv1.3", "Peer certificate: CN = a.example",
                "Verification: OK");
    }

    @Test
    void tls12NegotiatesAnEcdheAeadSuite() throws Exception {
        Run run = sClient("-tls1_2");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("Protocol version: TLSv1.2", "Ciphersuite: ECDHE-")
                .containsPattern("Ciphersuite: ECDHE-(ECDSA|RSA)-(AES\\d+-GCM|CHACHA20-POLY1305)");
    }

    @Test
    void tls11IsRefused() throws Exception {
        Run run = sClient("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");

        assertThat(run.exit()).isNotZero();
        assertThat(run.output()).doesNotContain("CONNECTION ESTABLISHED");
    }

    private static Run sClient(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(openssl.toString(), "s_client",
                "-connect", "127.0.0.1:" + loopback.port(), "-brief"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close(); // end of input: s_client closes after the handshake
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("openssl s_client did not finish");
        }
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static Path onPath(String program) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry, program);
            if (!entry.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
