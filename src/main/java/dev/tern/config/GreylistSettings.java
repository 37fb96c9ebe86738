package dev.tern.config;

import java.time.Duration;
import java.util.List;

/**
 * Greylisting ({@code [greylist]}, RFC 6647), as postgrey does it: the first attempt of each (client network,
 * sender, recipient) triplet is deferred; a retry after {@code delay} passes.
 *
 * @param enabled          off by default: greylisting delays first-time mail, which an operator must choose
 * @param delay            how long a new triplet is deferred (postgrey's {@code --delay})
 * @param retryWindow      how long a deferred triplet waits for its retry before it is forgotten
 *                         (postgrey's {@code --retry-window})
 * @param maxAge           how long a triplet that passed, or an allow-listed client, is kept since last seen
 *                         (postgrey's {@code --max-age})
 * @param autoAllowClients after this many triplets of one client network passed, the network skips greylisting
 *                         (postgrey's {@code --auto-whitelist-clients}); 0 turns it off
 * @param maxEntries       the most triplets (and as many clients) kept; the least recently seen go first
 * @param spfPassDomains   senders of these domains (and their subdomains) whose SPF passes skip greylisting
 * @param ipv4Prefix       an IPv4 client is greylisted by this network (24: a sender's pool of outgoing servers)
 * @param ipv6Prefix       an IPv6 client is greylisted by this network
 */
public record GreylistSettings(boolean enabled, Duration delay, Duration retryWindow, Duration maxAge,
                               int autoAllowClients, int maxEntries, List<String> spfPassDomains,
                               int ipv4Prefix, int ipv6Prefix) {

    public GreylistSettings {
        spfPassDomains = List.copyOf(spfPassDomains);
        if (delay.isNegative() || retryWindow.compareTo(delay) <= 0 || maxAge.isNegative() || maxAge.isZero()
                || autoAllowClients < 0 || maxEntries < 1 || ipv4Prefix < 1 || ipv4Prefix > 32
                || ipv6Prefix < 1 || ipv6Prefix > 128) {
            throw new IllegalArgumentException("invalid greylist settings");
        }
    }

    /** Off; when on: 5 minutes, 2 days to retry, 35 days kept, clients allowed after 5 passes, 100,000 triplets. */
    public static GreylistSettings defaults() {
        return new GreylistSettings(false, Duration.ofMinutes(5), Duration.ofDays(2), Duration.ofDays(35), 5,
                100_000, List.of(), 24, 64);
    }

    /** The same settings, on (tests). */
    public GreylistSettings on() {
        return new GreylistSettings(true, delay, retryWindow, maxAge, autoAllowClients, maxEntries, spfPassDomains,
                ipv4Prefix, ipv6Prefix);
    }
}
