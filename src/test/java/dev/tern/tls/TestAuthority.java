package dev.tern.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
            Files.createDirectories(dir);
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
        Files.writeString(file, TestPki.pem(pki.ca()), StandardCharsets.US_ASCII);
        return file;
    }

    /** Server TLS presenting a certificate of this CA for {@code names} (written as certbot's two files). */
    public ServerTls serverTls(List<String> names) throws IOException {
        try {
            TestPki.Issued cert = pki.issue(names.get(0), names, false);
            int n = ++issued;
            Path chain = dir.resolve("fullchain-" + n + ".pem");
            Path key = dir.resolve("privkey-" + n + ".pem");
            TestPki.write(cert, TestPki.KeyForm.PKCS8, chain, key);
            return ServerTls.create(List.of(TlsCertificates.watch(chain, key)));
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot issue a test certificate for " + names, e);
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
