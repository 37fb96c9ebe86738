package dev.tern.acme;

import dev.tern.config.AcmeSettings;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the ACME certificate current: at start and every {@code check_interval}, a certificate that is still
 * the self-signed placeholder, expires within {@code renew_before}, or does not cover every configured name is
 * ordered anew. A failed order is logged with the CA's reason and tried again at the next check; the old
 * certificate keeps serving meanwhile.
 */
public final class AcmeRenewal implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(AcmeRenewal.class);

    private final AcmeSettings settings;
    private final List<String> names;
    private final AcmeCertificates files;
    private final Clock clock;
    private ChallengeResponder responder;
    private Thread thread;
    private volatile boolean closed;

    public AcmeRenewal(AcmeSettings settings, String hostname, Path dataDir, Clock clock) {
        this.settings = settings;
        this.names = settings.namesOr(hostname);
        this.files = new AcmeCertificates(dataDir, names.get(0));
        this.clock = clock;
    }

    /** The files TLS should watch; {@link AcmeCertificates#prepare} them before it does. */
    public AcmeCertificates files() {
        return files;
    }

    /** Opens the http-01 responder and starts the checks. */
    public void start() throws IOException {
        try {
            responder = new ChallengeResponder(settings.httpAddress(), settings.httpPort());
        } catch (IOException e) {
            throw new IOException("acme: cannot listen on " + settings.httpAddress() + " port " + settings.httpPort()
                    + " for http-01 challenges: " + e.getMessage(), e);
        }
        AcmeOrder order = new AcmeOrder(settings, responder, files.accountKey());
        thread = Thread.ofVirtual().name("acme-renewal").start(() -> loop(order));
    }

    /** The responder's port (for tests that configure port 0). */
    public int httpPort() {
        return responder.port();
    }

    private void loop(AcmeOrder order) {
        while (!closed) {
            String reason = renewalReason();
            if (reason != null) {
                renew(order, reason);
            }
            try {
                Thread.sleep(settings.checkInterval());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Why a new certificate is needed now, or null when the one installed will do. */
    String renewalReason() {
        if (!files.issued()) {
            return "no certificate from the CA yet";
        }
        Instant expiry = files.expiry();
        if (!clock.instant().plus(settings.renewBefore()).isBefore(expiry)) {
            return "expires " + expiry;
        }
        try {
            Set<String> covered = dnsNames(files.current());
            if (!covered.containsAll(names)) {
                return "does not cover " + names;
            }
        } catch (IOException e) {
            return e.getMessage();
        }
        return null;
    }

    private void renew(AcmeOrder order, String reason) {
        LOG.info("acme: ordering a certificate for {} from {} ({})", names, settings.directory(), reason);
        try {
            AcmeOrder.Issued issued = order.order(names);
            files.install(issued.chainPem(), issued.keyPem());
            X509Certificate cert = files.current();
            LOG.info("acme: certificate for {} installed, issued by {}, valid until {}", names,
                    cert.getIssuerX500Principal().getName(), cert.getNotAfter().toInstant());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!closed) {
                LOG.warn("acme: certificate order for {} failed, next try in {}: {}", names,
                        settings.checkInterval(), e.getMessage());
            }
        }
    }

    private static Set<String> dnsNames(X509Certificate cert) throws IOException {
        Set<String> out = new HashSet<>();
        try {
            Collection<List<?>> alternatives = cert.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    if (Integer.valueOf(2).equals(entry.get(0))) { // dNSName (RFC 5280 §4.2.1.6)
                        out.add(String.valueOf(entry.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new IOException("unreadable names in the certificate: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
        if (responder != null) {
            responder.close();
        }
    }
}
