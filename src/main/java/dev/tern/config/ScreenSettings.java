package dev.tern.config;

import dev.tern.mail.IpNetwork;
import java.time.Duration;
import java.util.List;

/**
 * The MX listener's screening of clients before and around the greeting ({@code [screen]}), as Postfix's
 * postscreen and {@code reject_rhsbl_*} do it. Read by {@link ScreenReader}; docs/config-screen.md lists the keys.
 * Everything is off by default: no pause, no lists.
 *
 * @param pregreetDelay       how long Tern listens before its 220 (postscreen_greet_wait); zero for no pause
 * @param greetBanner         the text of a {@code 220-} line sent at the start of the pause
 *                            (postscreen_greet_banner); empty for none
 * @param passTtl             how long a client that passed the pause skips it (postscreen_greet_ttl); zero to
 *                            remember nobody
 * @param cacheMaxEntries     the most clients remembered; the oldest go first
 * @param allowNetworks       clients that skip every screen and are vouched for
 * @param denyNetworks        clients refused at connect (the more specific of two matching networks wins)
 * @param dnsblSites          DNS lists of client addresses with weights (postscreen_dnsbl_sites)
 * @param dnsblThreshold      the score at which a client is refused (postscreen_dnsbl_threshold)
 * @param dnsblAllowlistThreshold a score at or below this vouches for the client and skips the pause; only when
 *                            negative (postscreen_dnsbl_allowlist_threshold)
 * @param dnsblTimeout        how long the DNS lists may take in all (postscreen_dnsbl_timeout); a list not
 *                            answered by then counts zero
 * @param rhsblHelo           right-hand-side lists for the HELO name (reject_rhsbl_helo)
 * @param rhsblSender         right-hand-side lists for the MAIL FROM domain (reject_rhsbl_sender)
 */
public record ScreenSettings(Duration pregreetDelay, String greetBanner, Duration passTtl, int cacheMaxEntries,
                             List<IpNetwork> allowNetworks, List<IpNetwork> denyNetworks, List<DnsblSite> dnsblSites,
                             int dnsblThreshold, int dnsblAllowlistThreshold, Duration dnsblTimeout,
                             List<DnsblSite> rhsblHelo, List<DnsblSite> rhsblSender) {

    /** postscreen_greet_ttl's default: a day. */
    public static final Duration DEFAULT_PASS_TTL = Duration.ofDays(1);
    public static final int DEFAULT_CACHE_MAX_ENTRIES = 100_000;
    /** postscreen_dnsbl_timeout's default. */
    public static final Duration DEFAULT_DNSBL_TIMEOUT = Duration.ofSeconds(10);

    public ScreenSettings {
        allowNetworks = List.copyOf(allowNetworks);
        denyNetworks = List.copyOf(denyNetworks);
        dnsblSites = List.copyOf(dnsblSites);
        rhsblHelo = List.copyOf(rhsblHelo);
        rhsblSender = List.copyOf(rhsblSender);
    }

    public static ScreenSettings defaults() {
        return new ScreenSettings(Duration.ZERO, "ESMTP Tern", DEFAULT_PASS_TTL, DEFAULT_CACHE_MAX_ENTRIES,
                List.of(), List.of(), List.of(), 1, 0, DEFAULT_DNSBL_TIMEOUT, List.of(), List.of());
    }

    /** Whether any screen is configured; when none is, the MX listener behaves as if this table did not exist. */
    public boolean active() {
        return !pregreetDelay.isZero() || !allowNetworks.isEmpty() || !denyNetworks.isEmpty()
                || !dnsblSites.isEmpty() || !rhsblHelo.isEmpty() || !rhsblSender.isEmpty();
    }

    public ScreenSettings withPregreet(Duration delay, String banner) {
        return new ScreenSettings(delay, banner, passTtl, cacheMaxEntries, allowNetworks, denyNetworks, dnsblSites,
                dnsblThreshold, dnsblAllowlistThreshold, dnsblTimeout, rhsblHelo, rhsblSender);
    }

    public ScreenSettings withNetworks(List<IpNetwork> allow, List<IpNetwork> deny) {
        return new ScreenSettings(pregreetDelay, greetBanner, passTtl, cacheMaxEntries, allow, deny, dnsblSites,
                dnsblThreshold, dnsblAllowlistThreshold, dnsblTimeout, rhsblHelo, rhsblSender);
    }

    public ScreenSettings withDnsbl(List<DnsblSite> sites, int threshold, int allowlistThreshold, Duration timeout) {
        return new ScreenSettings(pregreetDelay, greetBanner, passTtl, cacheMaxEntries, allowNetworks, denyNetworks,
                sites, threshold, allowlistThreshold, timeout, rhsblHelo, rhsblSender);
    }

    public ScreenSettings withRhsbl(List<DnsblSite> helo, List<DnsblSite> sender) {
        return new ScreenSettings(pregreetDelay, greetBanner, passTtl, cacheMaxEntries, allowNetworks, denyNetworks,
                dnsblSites, dnsblThreshold, dnsblAllowlistThreshold, dnsblTimeout, helo, sender);
    }

    public ScreenSettings withCache(Duration ttl, int maxEntries) {
        return new ScreenSettings(pregreetDelay, greetBanner, ttl, maxEntries, allowNetworks, denyNetworks,
                dnsblSites, dnsblThreshold, dnsblAllowlistThreshold, dnsblTimeout, rhsblHelo, rhsblSender);
    }
}
