package dev.tern.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads the {@code [greylist]} table into {@link GreylistSettings}; absent keys keep the defaults. */
final class GreylistReader {

    private GreylistReader() {
    }

    static GreylistSettings read(Section top, GreylistSettings d) throws ConfigException {
        Optional<Section> table = top.table("greylist");
        if (table.isEmpty()) {
            return d;
        }
        Section s = table.get();
        boolean enabled = s.bool("enabled", d.enabled());
        Duration delay = s.duration("delay", d.delay(), Duration.ZERO, LimitsReader.DAY);
        Duration retryWindow = s.duration("retry_window", d.retryWindow(), Duration.ofMinutes(1), Duration.ofDays(30));
        Duration maxAge = s.duration("max_age", d.maxAge(), LimitsReader.DAY, Duration.ofDays(366));
        int autoAllow = s.integer("auto_allow_clients", d.autoAllowClients(), 0, 1000);
        int maxEntries = s.integer("max_entries", d.maxEntries(), 1, 10_000_000);
        List<String> domains = new ArrayList<>();
        for (String domain : s.strings("skip_spf_pass_domains", d.spfPassDomains())) {
            String problem = Syntax.domainProblem(domain);
            if (problem != null) {
                throw s.error("skip_spf_pass_domains", problem);
            }
            domains.add(domain.toLowerCase(Locale.ROOT));
        }
        int ipv4 = s.integer("ipv4_prefix", d.ipv4Prefix(), 1, 32);
        int ipv6 = s.integer("ipv6_prefix", d.ipv6Prefix(), 1, 128);
        if (retryWindow.compareTo(delay) <= 0) {
            throw s.error("retry_window", "must be longer than " + s.path("delay") + " ("
                    + ConfigValues.formatDuration(delay) + "), got \"" + ConfigValues.formatDuration(retryWindow) + "\"");
        }
        s.refuseUnknown();
        return new GreylistSettings(enabled, delay, retryWindow, maxAge, autoAllow, maxEntries, domains, ipv4, ipv6);
    }
}
