package dev.tern.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Forwarding with the Sender Rewriting Scheme, read from {@code [srs]} by {@link SrsReader}: when an alias
 * sends a message on to another domain, its envelope sender is rewritten into {@code domain}, and bounces to
 * such addresses are verified and sent back to the original sender.
 *
 * @param enabled    whether forwarded mail is rewritten and SRS addresses are accepted (on when
 *                   {@code secret_file} is given, unless said otherwise)
 * @param secretFile the secrets, postsrsd's format: one a line, the first signs, all verify; null when unset
 * @param domain     the domain of the rewritten addresses, or null for the first local domain (else the
 *                   hostname)
 * @param maxAge     how long a rewritten address stays valid for a bounce (whole days, under 1024)
 */
public record SrsSettings(boolean enabled, Path secretFile, String domain, Duration maxAge) {

    /** postsrsd's default: a bounce later than three weeks is refused. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(21);

    public static SrsSettings defaults() {
        return new SrsSettings(false, null, null, DEFAULT_MAX_AGE);
    }

    /** The domain rewritten addresses are in: {@code domain}, else the first local domain, else the hostname. */
    public String domainOr(List<String> localDomains, String hostname) {
        if (domain != null) {
            return domain;
        }
        return localDomains.isEmpty() ? hostname : localDomains.get(0);
    }
}
