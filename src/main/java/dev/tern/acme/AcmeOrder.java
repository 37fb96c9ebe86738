package dev.tern.acme;

import dev.tern.config.AcmeSettings;
import dev.tern.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * One certificate order (RFC 8555 §7.4) through acme4j: the account (found again by its key, §7.3.1, or made),
 * the order for the names, an http-01 challenge per name answered by the {@link ChallengeResponder}, a
 * fresh EC P-256 key and its CSR, and the issued chain.
 */
final class AcmeOrder {

    /** How long the CA may take to validate one name, or to issue once the order is ready. */
    static final Duration WAIT = Duration.ofMinutes(3);

    /** What the CA issued: the chain and its key, as PEM. */
    record Issued(byte[] chainPem, byte[] keyPem) { }

    private final AcmeSettings settings;
    private final ChallengeResponder responder;
    private final Path accountKeyFile;

    AcmeOrder(AcmeSettings settings, ChallengeResponder responder, Path accountKeyFile) {
        this.settings = settings;
        this.responder = responder;
        this.accountKeyFile = accountKeyFile;
    }

    Issued order(List<String> names) throws AcmeException, IOException, InterruptedException {
        Session session = settings.caCertificates() == null ? new Session(settings.directory())
                : new Session(settings.directory(), trusting(settings.caCertificates()));
        AccountBuilder builder = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey());
        if (settings.email() != null) {
            builder.addEmail(settings.email());
        }
        Account account = builder.create(session);
        Order order = account.newOrder().domains(names).create();
        for (Authorization authorization : order.getAuthorizations()) {
            authorize(authorization);
        }
        if (order.waitUntilReady(WAIT) != Status.READY) {
            throw new AcmeException("the order did not become ready" + problem(order.getError().orElse(null)));
        }
        KeyPair key = KeyFiles.newKeyPair();
        order.execute(key);
        if (order.waitForCompletion(WAIT) != Status.VALID) {
            throw new AcmeException("the CA did not issue the certificate" + problem(order.getError().orElse(null)));
        }
        StringWriter chain = new StringWriter();
        order.getCertificate().writeCertificate(chain); // the certificate, then its issuers
        return new Issued(chain.toString().getBytes(StandardCharsets.US_ASCII),
                KeyFiles.privateKeyPem(key).getBytes(StandardCharsets.US_ASCII));
    }

    private void authorize(Authorization authorization) throws AcmeException, InterruptedException {
        if (authorization.getStatus() == Status.VALID) {
            return; // validated recently for this account: the CA reuses it (§7.1.4)
        }
        String name = authorization.getIdentifier().getDomain();
        Http01Challenge challenge = authorization.findChallenge(Http01Challenge.class).orElseThrow(
                () -> new AcmeException("the CA offers no http-01 challenge for " + name));
        responder.offer(challenge.getToken(), challenge.getAuthorization());
        try {
            challenge.trigger();
            if (challenge.waitForCompletion(WAIT) != Status.VALID) {
                throw new AcmeException("http-01 validation of " + name + " failed"
                        + problem(challenge.getError().orElse(null)));
            }
        } finally {
            responder.withdraw(challenge.getToken());
        }
    }

    private static String problem(Problem problem) {
        return problem == null ? "" : ": " + problem;
    }

    /** The account key, made on first use (EC P-256) and kept, private, beside the certificates. */
    private KeyPair accountKey() throws IOException {
        if (Files.isRegularFile(accountKeyFile)) {
            return KeyFiles.readKeyPair(Files.readString(accountKeyFile, StandardCharsets.US_ASCII));
        }
        KeyPair key = KeyFiles.newKeyPair();
        AtomicFiles.write(accountKeyFile, KeyFiles.keyPairPem(key).getBytes(StandardCharsets.US_ASCII));
        return key;
    }

    /** A provider whose HTTPS trusts only the given CAs: a private ACME server's, or a test CA's. */
    private static GenericAcmeProvider trusting(Path caFile) throws IOException {
        SSLContext context;
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca" + i++, cert);
            }
            if (i == 0) {
                throw new IOException("no certificate in " + caFile);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the CA certificates in " + caFile + ": " + e.getMessage(), e);
        }
        return new GenericAcmeProvider() {
            @Override
            public HttpClient createHttpClient(NetworkSettings network) {
                return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                        .connectTimeout(network.getTimeout()).sslContext(context).build();
            }
        };
    }
}
