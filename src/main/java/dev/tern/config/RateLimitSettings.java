package dev.tern.config;

import dev.tern.mail.IpNetwork;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rate limits ({@code [rate_limits]}, with {@code [[rate_limits.override]]}): how many connections, messages and
 * recipients a client network or an authenticated user may have within a window, like Postfix's anvil
 * ({@code smtpd_client_*_rate_limit}). A limit of 0 means no limit, as in Postfix.
 *
 * @param maxTracked     the most clients and users remembered at once (each limit of each one is one entry); the
 *                       least recently seen is forgotten first, so memory stays bounded under a flood of addresses
 * @param ipv4Prefix     an IPv4 client is counted by this prefix (32: each address on its own)
 * @param ipv6Prefix     an IPv6 client is counted by this prefix (64: one host usually holds a whole /64)
 * @param exemptTrusted  whether clients in {@code [relay] trusted_networks} skip the per-client limits
 * @param exemptLoopback whether loopback clients skip the per-client limits
 * @param limits         every limit's value where no override applies
 * @param overrides      other values for some networks (the longest matching prefix wins) or users
 */
public record RateLimitSettings(int maxTracked, int ipv4Prefix, int ipv6Prefix, boolean exemptTrusted,
                                boolean exemptLoopback, Map<Limit, Integer> limits, List<LimitOverride> overrides) {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DAY = Duration.ofDays(1);

    /** What a limit counts. */
    public enum Counted { CONNECTIONS, MESSAGES, RECIPIENTS }

    /** One named limit: its key in the file, what it counts, over which window, for a client or a user. */
    public enum Limit {
        CLIENT_CONNECTIONS("client_connections_per_minute", Counted.CONNECTIONS, Duration.ofMinutes(1), false, 60),
        CLIENT_MESSAGES("client_messages_per_hour", Counted.MESSAGES, HOUR, false, 500),
        CLIENT_RECIPIENTS("client_recipients_per_hour", Counted.RECIPIENTS, HOUR, false, 2000),
        USER_MESSAGES_HOUR("user_messages_per_hour", Counted.MESSAGES, HOUR, true, 200),
        USER_MESSAGES_DAY("user_messages_per_day", Counted.MESSAGES, DAY, true, 1000),
        USER_RECIPIENTS_HOUR("user_recipients_per_hour", Counted.RECIPIENTS, HOUR, true, 1000),
        USER_RECIPIENTS_DAY("user_recipients_per_day", Counted.RECIPIENTS, DAY, true, 5000);

        private final String key;
        private final Counted counted;
        private final Duration window;
        private final boolean perUser;
        private final int defaultValue;

        Limit(String key, Counted counted, Duration window, boolean perUser, int defaultValue) {
            this.key = key;
            this.counted = counted;
            this.window = window;
            this.perUser = perUser;
            this.defaultValue = defaultValue;
        }

        /** The key in the config file and the value of {@code ratelimit=} in the mail log. */
        public String key() {
            return key;
        }

        public Counted counted() {
            return counted;
        }

        public Duration window() {
            return window;
        }

        /** Whether the limit is kept per authenticated user (else per client network). */
        public boolean perUser() {
            return perUser;
        }

        public int defaultValue() {
            return defaultValue;
        }

        /** "500 messages per hour", for the reply and the log. */
        public String describe(int value) {
            String unit = window.equals(DAY) ? "day" : window.equals(HOUR) ? "hour" : "minute";
            return value + " " + counted.name().toLowerCase(java.util.Locale.ROOT) + " per " + unit;
        }
    }

    /**
     * Other values for one network or one user (exactly one of the two is set).
     *
     * @param network the client network, or null
     * @param user    the login (as {@code AUTH} gives it, compared case-insensitively), or null
     * @param limits  the limits it changes; the others keep their defaults
     */
    public record LimitOverride(IpNetwork network, String user, Map<Limit, Integer> limits) {
        public LimitOverride {
            if ((network == null) == (user == null)) {
                throw new IllegalArgumentException("an override names a network or a user");
            }
            limits = Map.copyOf(limits);
        }
    }

    public RateLimitSettings {
        if (maxTracked < 1 || ipv4Prefix < 1 || ipv4Prefix > 32 || ipv6Prefix < 1 || ipv6Prefix > 128) {
            throw new IllegalArgumentException("invalid rate limit settings");
        }
        EnumMap<Limit, Integer> all = new EnumMap<>(Limit.class);
        for (Limit limit : Limit.values()) {
            all.put(limit, Objects.requireNonNullElse(limits.get(limit), limit.defaultValue()));
        }
        limits = java.util.Collections.unmodifiableMap(all);
        overrides = List.copyOf(overrides);
    }

    /** The default for a value never set: 100,000 entries, clients by /32 and /64, trusted and loopback exempt. */
    public static RateLimitSettings defaults() {
        return new RateLimitSettings(100_000, 32, 64, true, true, Map.of(), List.of());
    }

    /** The value of {@code limit} where no override applies; 0 for no limit. */
    public int limit(Limit limit) {
        return limits.get(limit);
    }

    /** The same settings with other values for some limits (tests). */
    public RateLimitSettings with(Map<Limit, Integer> values) {
        EnumMap<Limit, Integer> all = new EnumMap<>(limits);
        all.putAll(values);
        return new RateLimitSettings(maxTracked, ipv4Prefix, ipv6Prefix, exemptTrusted, exemptLoopback, all, overrides);
    }

    /** The same settings with these overrides (tests). */
    public RateLimitSettings withOverrides(List<LimitOverride> value) {
        return new RateLimitSettings(maxTracked, ipv4Prefix, ipv6Prefix, exemptTrusted, exemptLoopback, limits, value);
    }

    /** The same settings with these exemptions (tests). */
    public RateLimitSettings withExemptions(boolean trusted, boolean loopback) {
        return new RateLimitSettings(maxTracked, ipv4Prefix, ipv6Prefix, trusted, loopback, limits, overrides);
    }
}
