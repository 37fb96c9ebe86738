package dev.tern.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Certificates from an ACME CA (RFC 8555), such as Let's Encrypt, for the listeners' TLS ({@code [acme]}).
 *
 * @param directory      the CA's directory URL, or null when ACME is off
 * @param email          the account's contact address, or null
 * @param names          the host names the certificate is for; the first names the files
 * @param httpAddress    where the http-01 responder listens (RFC 8555 §8.3: the CA connects to port 80)
 * @param httpPort       its port
 * @param renewBefore    a certificate is renewed this long before it expires
 * @param checkInterval  how often the certificate's expiry is looked at (and a failed order retried)
 * @param caCertificates PEM file of the CAs trusted for the ACME server's own HTTPS instead of the JDK's
 *                       (a private ACME CA), or null for the JDK's
 */
public record AcmeSettings(URI directory, String email, List<String> names, String httpAddress, int httpPort,
                           Duration renewBefore, Duration checkInterval, Path caCertificates) {

    public static final URI LETS_ENCRYPT = URI.create("https://acme-v02.api.letsencrypt.org/directory");
    public static final URI LETS_ENCRYPT_STAGING = URI.create("https://acme-staging-v02.api.letsencrypt.org/directory");

    public AcmeSettings {
        names = List.copyOf(names);
    }

    /** Off: certificates come from files or are self-signed. */
    public static AcmeSettings defaults() {
        return new AcmeSettings(null, null, List.of(), "0.0.0.0", 80, Duration.ofDays(30), Duration.ofHours(12), null);
    }

    public boolean enabled() {
        return directory != null;
    }

    /** The names, or the host name when none are given. */
    public List<String> namesOr(String hostname) {
        return names.isEmpty() ? List.of(hostname) : names;
    }
}
