package dev.tern.acme;

import dev.tern.io.AtomicFiles;
import dev.tern.io.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * The certificate files ACME keeps, in certbot's layout under {@code <data_dir>/acme/}: {@code live/<name>/
 * fullchain.pem} and {@code privkey.pem} (mode 600), and the account key {@code account-key.pem} (mode 600).
 */
public final class AcmeCertificates {

    private final Path dir;
    private final Path live;

    /**
     * @param dataDir Tern's data directory
     * @param name    the first name of the certificate, which names its directory as certbot does
     */
    public AcmeCertificates(Path dataDir, String name) {
        this.dir = dataDir.resolve("acme");
        this.live = dir.resolve("live").resolve(name);
    }

    public Path fullchain() {
        return live.resolve("fullchain.pem");
    }

    public Path privkey() {
        return live.resolve("privkey.pem");
    }

    Path accountKey() {
        return dir.resolve("account-key.pem");
    }

    /**
     * Makes sure both files exist before TLS starts watching them: on first start, a copy of the given
     * (self-signed) pair, replaced once the CA has issued a certificate.
     */
    public void prepare(Path fallbackChain, Path fallbackKey) throws IOException {
        if (Files.isRegularFile(fullchain()) && Files.isRegularFile(privkey())) {
            return;
        }
        PrivateFiles.createDirectories(live);
        AtomicFiles.write(privkey(), Files.readAllBytes(fallbackKey));
        AtomicFiles.write(fullchain(), Files.readAllBytes(fallbackChain));
    }

    /**
     * Installs a new certificate. The key goes first: a handshake that reads the files between the two writes
     * finds a key that does not match the old chain, keeps the certificate it had and reads both again later.
     */
    void install(byte[] chainPem, byte[] keyPem) throws IOException {
        PrivateFiles.createDirectories(live);
        AtomicFiles.write(privkey(), keyPem);
        AtomicFiles.write(fullchain(), chainPem);
    }

    /** The first certificate of the chain file. */
    X509Certificate current() throws IOException {
        try (InputStream in = Files.newInputStream(fullchain())) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (CertificateException e) {
            throw new IOException("unreadable certificate in " + fullchain() + ": " + e.getMessage(), e);
        }
    }

    /** When the installed certificate expires, or {@link Instant#MIN} when it is unreadable (order one now). */
    Instant expiry() {
        try {
            return current().getNotAfter().toInstant();
        } catch (IOException e) {
            return Instant.MIN;
        }
    }

    /** Whether the installed certificate came from the CA rather than being the self-signed placeholder. */
    boolean issued() {
        try {
            X509Certificate cert = current();
            return !cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal());
        } catch (IOException e) {
            return false;
        }
    }
}
