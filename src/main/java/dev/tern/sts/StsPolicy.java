package dev.tern.sts;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One MTA-STS policy as a domain publishes it (RFC 8461 §3.2).
 *
 * @param mode       what a sender does when a host does not comply
 * @param mxPatterns the {@code mx} lines: host names, or {@code *.} followed by a domain for one leftmost label
 * @param maxAge     how long the policy may be cached (RFC 8461 §3.2: at most 31557600 seconds)
 * @param id         the {@code id} of the {@code _mta-sts} TXT record the policy was fetched under (§3.1)
 */
public record StsPolicy(Mode mode, List<String> mxPatterns, Duration maxAge, String id) {

    public StsPolicy {
        mxPatterns = mxPatterns.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
    }

    /** The {@code mode} values of RFC 8461 §3.2. */
    public enum Mode {
        /** Deliver only to an MX that matches a pattern and presents a valid certificate for its name. */
        ENFORCE("enforce"),
        /** Deliver as without a policy, but report failures with TLS-RPT (RFC 8460). */
        TESTING("testing"),
        /** The domain withdrew its policy (RFC 8461 §8.3). */
        NONE("none");

        private final String word;

        Mode(String word) {
            this.word = word;
        }

        /** The value on the {@code mode:} line. */
        public String word() {
            return word;
        }
    }

    /**
     * Whether an MX host name matches one of the {@code mx} patterns (RFC 8461 §4.1): equal ignoring case, or a
     * {@code *.}-pattern whose wildcard stands for exactly one leftmost label. The name is in A-label form,
     * with or without the trailing dot.
     */
    public boolean matches(String mxHost) {
        String host = mxHost.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        for (String pattern : mxPatterns) {
            if (pattern.startsWith("*.")) {
                int dot = host.indexOf('.');
                if (dot > 0 && host.substring(dot + 1).equals(pattern.substring(2))) {
                    return true;
                }
            } else if (host.equals(pattern)) {
                return true;
            }
        }
        return false;
    }
}
