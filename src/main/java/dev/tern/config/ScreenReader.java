package dev.tern.config;

import dev.tern.mail.IpNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code [screen]} into {@link ScreenSettings}. docs/config-screen.md lists the keys. */
final class ScreenReader {

    private ScreenReader() {
    }

    static ScreenSettings read(Section top, ScreenSettings d) throws ConfigException {
        Optional<Section> table = top.table("screen");
        if (table.isEmpty()) {
            return d;
        }
        Section s = table.get();
        Duration delay = s.duration("pregreet_delay", d.pregreetDelay(), Duration.ZERO, Duration.ofSeconds(60));
        String banner = s.string("greet_banner", d.greetBanner());
        if (banner.chars().anyMatch(c -> c < ' ' || c > '~')) {
            // RFC 5321 §4.2: reply text is printable US-ASCII; a line break would end the reply early.
            throw s.error("greet_banner", "must be one line of printable ASCII text");
        }
        Duration ttl = s.duration("pass_ttl", d.passTtl(), Duration.ZERO, Duration.ofDays(365));
        int maxEntries = s.integer("cache_max_entries", d.cacheMaxEntries(), 0, 10_000_000);
        List<IpNetwork> allow = networks(s, "allow_networks", d.allowNetworks());
        List<IpNetwork> deny = networks(s, "deny_networks", d.denyNetworks());
        List<DnsblSite> sites = sites(s, "dnsbl_sites", d.dnsblSites(), true);
        int threshold = s.integer("dnsbl_threshold", d.dnsblThreshold(), 1, 10_000);
        int allowlist = s.integer("dnsbl_allowlist_threshold", d.dnsblAllowlistThreshold(), -10_000, 0);
        Duration timeout = s.duration("dnsbl_timeout", d.dnsblTimeout(), Duration.ofMillis(100),
                Duration.ofMinutes(1));
        List<DnsblSite> helo = sites(s, "rhsbl_helo", d.rhsblHelo(), false);
        List<DnsblSite> sender = sites(s, "rhsbl_sender", d.rhsblSender(), false);
        s.refuseUnknown();
        return new ScreenSettings(delay, banner, ttl, maxEntries, allow, deny, sites, threshold, allowlist, timeout,
                helo, sender);
    }

    private static List<IpNetwork> networks(Section s, String key, List<IpNetwork> fallback) throws ConfigException {
        List<String> texts = s.strings(key, List.of());
        if (!s.present(key)) {
            return fallback;
        }
        List<IpNetwork> out = new ArrayList<>();
        for (String text : texts) {
            try {
                out.add(IpNetwork.parse(text));
            } catch (IllegalArgumentException e) {
                throw s.error(key, e.getMessage());
            }
        }
        return out;
    }

    private static List<DnsblSite> sites(Section s, String key, List<DnsblSite> fallback, boolean weights)
            throws ConfigException {
        List<String> texts = s.strings(key, List.of());
        if (!s.present(key)) {
            return fallback;
        }
        List<DnsblSite> out = new ArrayList<>();
        for (String text : texts) {
            try {
                out.add(DnsblSite.parse(text, weights));
            } catch (IllegalArgumentException e) {
                throw s.error(key, e.getMessage());
            }
        }
        return out;
    }
}
