package dev.tern.config;

import dev.tern.mail.IpNetwork;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code [rate_limits]} table and its {@code [[rate_limits.override]]} into {@link RateLimitSettings}. */
final class RateLimitReader {

    /** The largest value of any limit: more than a day's worth of a busy MX, and far from int overflow. */
    static final int MAX_LIMIT = 100_000_000;

    private RateLimitReader() {
    }

    static RateLimitSettings read(Section top, RateLimitSettings d) throws ConfigException {
        Optional<Section> table = top.table("rate_limits");
        if (table.isEmpty()) {
            return d;
        }
        Section s = table.get();
        int maxTracked = s.integer("max_tracked", d.maxTracked(), 1, 10_000_000);
        int ipv4 = s.integer("ipv4_prefix", d.ipv4Prefix(), 1, 32);
        int ipv6 = s.integer("ipv6_prefix", d.ipv6Prefix(), 1, 128);
        boolean exemptTrusted = s.bool("exempt_trusted", d.exemptTrusted());
        boolean exemptLoopback = s.bool("exempt_loopback", d.exemptLoopback());
        Map<RateLimitSettings.Limit, Integer> limits = new EnumMap<>(RateLimitSettings.Limit.class);
        for (RateLimitSettings.Limit limit : RateLimitSettings.Limit.values()) {
            limits.put(limit, s.integer(limit.key(), d.limit(limit), 0, MAX_LIMIT));
        }
        List<RateLimitSettings.LimitOverride> overrides = overrides(s, d.overrides());
        s.refuseUnknown();
        return new RateLimitSettings(maxTracked, ipv4, ipv6, exemptTrusted, exemptLoopback, limits, overrides);
    }

    private static List<RateLimitSettings.LimitOverride> overrides(Section s,
            List<RateLimitSettings.LimitOverride> fallback) throws ConfigException {
        Optional<List<Section>> tables = s.tables("override");
        if (tables.isEmpty()) {
            return fallback;
        }
        List<RateLimitSettings.LimitOverride> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Section o : tables.get()) {
            RateLimitSettings.LimitOverride override = override(o);
            String subject = override.network() != null ? "network " + override.network()
                    : "user " + override.user().toLowerCase(Locale.ROOT);
            if (!seen.add(subject)) {
                throw o.error(override.network() != null ? "network" : "user", subject + " has an override already");
            }
            out.add(override);
        }
        return out;
    }

    /** One override: a network with client limits, or a user with user limits. */
    private static RateLimitSettings.LimitOverride override(Section o) throws ConfigException {
        String networkText = o.string("network", null);
        String user = o.string("user", null);
        if ((networkText == null) == (user == null)) {
            throw o.error(networkText == null ? "network" : "user", "an override names either a network or a user");
        }
        IpNetwork network = null;
        if (networkText != null) {
            try {
                network = IpNetwork.parse(networkText);
            } catch (IllegalArgumentException e) {
                throw o.error("network", e.getMessage());
            }
        } else if (user.isBlank() || user.length() > 320) {
            throw o.error("user", "must be a login of 1 to 320 characters, got \"" + user + "\"");
        }
        Map<RateLimitSettings.Limit, Integer> limits = new EnumMap<>(RateLimitSettings.Limit.class);
        for (RateLimitSettings.Limit limit : RateLimitSettings.Limit.values()) {
            if (!o.present(limit.key())) {
                continue;
            }
            if (limit.perUser() != (user != null)) {
                throw o.error(limit.key(), user != null ? "a user's override sets only user_* limits"
                        : "a network's override sets only client_* limits");
            }
            limits.put(limit, o.integer(limit.key(), 0, 0, MAX_LIMIT));
        }
        if (limits.isEmpty()) {
            throw o.error(network != null ? "network" : "user", "the override sets no limit");
        }
        o.refuseUnknown();
        return new RateLimitSettings.LimitOverride(network, user, limits);
    }
}
