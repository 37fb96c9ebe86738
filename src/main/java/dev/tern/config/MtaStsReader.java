package dev.tern.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Reads {@code [mta_sts]} into {@link MtaStsSettings}. docs/config-mta-sts.md lists the keys. */
final class MtaStsReader {

    private MtaStsReader() {
    }

    static MtaStsSettings read(Section top, MtaStsSettings d) throws ConfigException {
        Optional<Section> table = top.table("mta_sts");
        if (table.isEmpty()) {
            return d;
        }
        Section s = table.get();
        boolean enabled = s.bool("enabled", d.enabled());
        Duration timeout = s.duration("fetch_timeout", d.fetchTimeout(), Duration.ofSeconds(1), Duration.ofMinutes(5));
        long size = s.size("max_policy_size", d.maxPolicySize(), 1L << 10, 1L << 20);
        int entries = s.integer("cache_entries", d.cacheEntries(), 1, 1_000_000);
        Duration retry = s.duration("fetch_retry", d.fetchRetry(), Duration.ZERO, Duration.ofDays(1));
        MtaStsSettings.Mode mode = s.choice("mode", d.mode(), MtaStsSettings.Mode.class);
        List<String> mx = patterns(s, s.strings("mx", d.mx()));
        Duration maxAge = s.duration("max_age", d.maxAge(), Duration.ofHours(1), MtaStsSettings.LONGEST_MAX_AGE);
        ListenAddress listen = ListenAddress.read(s, "listen");
        int fetchPort = s.integer("fetch_port", d.fetchPort(), 1, 65535);
        s.refuseUnknown();
        return new MtaStsSettings(enabled, timeout, size, entries, retry, mode, mx, maxAge,
                listen == null ? d.listenAddress() : listen.ip(), listen == null ? d.listenPort() : listen.port(),
                fetchPort);
    }

    /** RFC 8461 §3.2: a host name, or {@code *.} and a domain for any one leftmost label; lower case. */
    private static List<String> patterns(Section s, List<String> given) throws ConfigException {
        Set<String> out = new LinkedHashSet<>();
        for (String pattern : given) {
            String host = pattern.startsWith("*.") ? pattern.substring(2) : pattern;
            if (Syntax.hostnameProblem(host) != null) {
                throw s.error("mx", "must list host names, or \"*.\" and a domain, got \"" + pattern + "\"");
            }
            if (!out.add(pattern.toLowerCase(Locale.ROOT))) {
                throw s.error("mx", "\"" + pattern + "\" is listed twice");
            }
        }
        return new ArrayList<>(out);
    }
}
