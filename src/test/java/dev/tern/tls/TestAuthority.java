package dev.tern.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * {@link TestPki} for tests outside this package: a throw-away CA whose PEM file a client trusts (the
 * {@code ca_file} of production), and server TLS contexts presenting certificates it issued, through the
 * production {@link ServerTls}.
 */
public final class TestAuthority {

    private final TestPki pki;
    private final Path dir;
    private int issued;

    private TestAuthority(TestPki pki, Path dir) {
        this.pki = pki;
        this.dir = dir;
    }

    /** A new CA keeping its files in {@code dir}. */
    public static TestAuthority create(Path dir) throws IOException {
        try {
            java.nio.file.Files.createDirectories(dir);
            return new TestAuthority(new TestPki(), dir);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot make a test CA", e);
        }
    }

    /** The CA certificate as a PEM file, for a client's trusted authorities. */
    public Path caFile() throws IOException {
        Path file = dir.resolve("ca.pem");
        java.nio.file.Files.writeString(file, TestPki.pem(pki.ca()), StandardCharsets.US_ASCII);
        return file;
    }

    /** Where an issued certificate was written, as certbot writes it: the chain, then the key. */
    public record Files(Path fullchain, Path privkey) {
    }

    /** Issues an EC certificate for {@code names} (the first is also its CN) and writes its two PEM files. */
    public Files issue(List<String> names) throws IOException {
        try {
            TestPki.Issued cert = pki.issue(names.get(0), names, false);
            int n = ++issued;
            Files files = new Files(dir.resolve("fullchain-" + n + ".pem"), dir.resolve("privkey-" + n + ".pem"));
            TestPki.write(cert, TestPki.KeyForm.PKCS8, files.fullchain(), files.privkey());
            return files;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot issue a test certificate for " + names, e);
        }
    }

    /** Server TLS presenting a certificate of this CA for {@code names}. */
    public ServerTls serverTls(List<String> names) throws IOException {
        Files files = issue(names);
        try {
            return ServerTls.create(List.of(TlsCertificates.watch(files.fullchain(), files.privkey())));
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** Server TLS presenting a self-signed certificate for {@code host}: no CA vouches for it. */
    public ServerTls selfSignedTls(String host) throws IOException {
        try {
            return ServerTls.create(List.of(TlsCertificates.selfSigned(dir.resolve("self-" + host), host)));
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }
}
