package dev.tern.config;

import java.time.Duration;
import java.util.List;

/**
 * MTA-STS (RFC 8461), read from {@code [mta_sts]} by {@link MtaStsReader}: how the policies of the domains Tern
 * sends to are fetched and cached, and the policy Tern publishes for its own domains.
 *
 * @param enabled       whether outbound delivery looks up and honours the recipient domains' policies
 * @param fetchTimeout  the whole HTTPS fetch of one policy, connection to last octet
 * @param maxPolicySize the largest policy body accepted (RFC 8461 §3.3 suggests 64 KiB)
 * @param cacheEntries  how many domains' policies are kept in memory; the disk cache holds them all
 * @param fetchRetry    after a failed fetch, how long the same policy id is not fetched again (RFC 8461 §3.3)
 * @param mode          the {@code mode} of the policy published for our domains
 * @param mx            the {@code mx} patterns of our policy; empty: the server's hostname
 * @param maxAge        the {@code max_age} of our policy
 * @param listenAddress the IP address of the HTTPS listener serving our policy, or null when it is off
 * @param listenPort    its TCP port (0: any free port, for tests)
 * @param fetchPort     the HTTPS port other domains' policies are fetched from: 443 (RFC 8461 §3.3) unless a test
 *                      network serves them elsewhere, as {@code [delivery] mx_port} is for SMTP
 */
public record MtaStsSettings(boolean enabled, Duration fetchTimeout, long maxPolicySize, int cacheEntries,
                             Duration fetchRetry, Mode mode, List<String> mx, Duration maxAge,
                             String listenAddress, int listenPort, int fetchPort) {

    /** The default {@code fetch_timeout}. */
    public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(20);
    /** The default {@code max_policy_size}: 64 KiB, as RFC 8461 §3.3 suggests. */
    public static final long DEFAULT_MAX_POLICY_SIZE = 64L << 10;
    /** The default {@code cache_entries}. */
    public static final int DEFAULT_CACHE_ENTRIES = 10_000;
    /** The default {@code fetch_retry}: five minutes, as RFC 8461 §3.3 recommends at least. */
    public static final Duration DEFAULT_FETCH_RETRY = Duration.ofMinutes(5);
    /** RFC 8461 §3.3: the policy is fetched with HTTPS, on its port 443. */
    public static final int HTTPS_PORT = 443;
    /** The default {@code max_age} of our policy: one week. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);
    /** The largest {@code max_age} RFC 8461 §3.2 allows: 31557600 seconds. */
    public static final Duration LONGEST_MAX_AGE = Duration.ofSeconds(31_557_600);

    /** The {@code mode} values of RFC 8461 §3.2. */
    public enum Mode { ENFORCE, TESTING, NONE }

    public MtaStsSettings {
        mx = List.copyOf(mx);
        if (fetchTimeout.isNegative() || fetchTimeout.isZero() || maxPolicySize < 1 || cacheEntries < 1
                || fetchRetry.isNegative() || maxAge.isNegative() || maxAge.isZero()
                || maxAge.compareTo(LONGEST_MAX_AGE) > 0 || listenPort < 0 || listenPort > 65535 || fetchPort < 1
                || fetchPort > 65535) {
            throw new IllegalArgumentException("invalid mta_sts settings");
        }
    }

    /** On for sending; our policy in {@code testing} mode naming the hostname, for a week; no listener. */
    public static MtaStsSettings defaults() {
        return new MtaStsSettings(true, DEFAULT_FETCH_TIMEOUT, DEFAULT_MAX_POLICY_SIZE, DEFAULT_CACHE_ENTRIES,
                DEFAULT_FETCH_RETRY, Mode.TESTING, List.of(), DEFAULT_MAX_AGE, null, 0, HTTPS_PORT);
    }

    /** The same settings fetching policies from another port (a test network's HTTPS servers). */
    public MtaStsSettings withFetchPort(int port) {
        return new MtaStsSettings(enabled, fetchTimeout, maxPolicySize, cacheEntries, fetchRetry, mode, mx, maxAge,
                listenAddress, listenPort, port);
    }

    /** Whether the HTTPS listener for our policy runs. */
    public boolean listening() {
        return listenAddress != null;
    }

    /** The {@code mx} patterns to publish: those configured, or else the server's hostname. */
    public List<String> mxOr(String hostname) {
        return mx.isEmpty() ? List.of(hostname) : mx;
    }

    public MtaStsSettings withEnabled(boolean value) {
        return new MtaStsSettings(value, fetchTimeout, maxPolicySize, cacheEntries, fetchRetry, mode, mx, maxAge,
                listenAddress, listenPort, fetchPort);
    }

    public MtaStsSettings withFetchLimits(Duration timeout, long size, Duration retry) {
        return new MtaStsSettings(enabled, timeout, size, cacheEntries, retry, mode, mx, maxAge,
                listenAddress, listenPort, fetchPort);
    }

    public MtaStsSettings withPolicy(Mode value, List<String> patterns, Duration age) {
        return new MtaStsSettings(enabled, fetchTimeout, maxPolicySize, cacheEntries, fetchRetry, value, patterns,
                age, listenAddress, listenPort, fetchPort);
    }

    public MtaStsSettings withListen(String address, int port) {
        return new MtaStsSettings(enabled, fetchTimeout, maxPolicySize, cacheEntries, fetchRetry, mode, mx, maxAge,
                address, port, fetchPort);
    }
}
