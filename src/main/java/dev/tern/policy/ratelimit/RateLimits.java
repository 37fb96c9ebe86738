package dev.tern.policy.ratelimit;

import dev.tern.config.RateLimitSettings;
import dev.tern.config.RateLimitSettings.Counted;
import dev.tern.config.RateLimitSettings.Limit;
import dev.tern.config.RateLimitSettings.LimitOverride;
import dev.tern.mail.IpNetwork;
import dev.tern.observe.MailLog;
import dev.tern.observe.Metrics;
import dev.tern.policy.Verdict;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rate limits of all listeners, shared by every session (thread-safe). Three questions, asked by the session
 * at the moment the event happens, and each event counted when admitted:
 * <ul>
 *   <li>{@link #connection}: a new connection to the MX, per client network per minute
 *       ({@code 421 4.7.0} and close, as for the concurrency limits);</li>
 *   <li>{@link #message}: a {@code MAIL} command, per client network per hour, or per authenticated user per
 *       hour and per day;</li>
 *   <li>{@link #recipient}: a {@code RCPT} command, likewise.</li>
 * </ul>
 * Like Postfix's anvil, a message is counted when its {@code MAIL} is accepted and a recipient when its
 * {@code RCPT} is considered, whether or not the message is completed: what is limited is the work asked of
 * the server, and a client probing addresses is slowed as much as one sending. Over a limit the reply is
 * {@code 450 4.7.1} (RFC 3463 X.7.1: delivery not authorized, here for now), naming the limit, and one
 * {@code throttled} line is logged per window, not per refusal.
 *
 * <p>The per-client limits are not applied to {@code [relay] trusted_networks} nor to loopback, unless the
 * configuration says otherwise; the per-user limits apply wherever the user connects from, because a webmail
 * on the same host is exactly where a stolen password is used. A client is counted by its network
 * ({@code ipv4_prefix}, {@code ipv6_prefix}), the user by its login, case-insensitively.
 */
public final class RateLimits {

    private final RateLimitSettings settings;
    private final List<IpNetwork> trusted;
    private final InstantSource clock;
    private final RateTable table;
    private final Map<Limit, AtomicLong> refusals = new EnumMap<>(Limit.class);
    private final Map<String, LimitOverride> userOverrides;

    public RateLimits(RateLimitSettings settings, List<IpNetwork> trusted, InstantSource clock) {
        this.settings = settings;
        this.trusted = List.copyOf(trusted);
        this.clock = clock;
        this.table = new RateTable(settings.maxTracked());
        for (Limit limit : Limit.values()) {
            refusals.put(limit, new AtomicLong());
        }
        Map<String, LimitOverride> users = new java.util.HashMap<>();
        for (LimitOverride o : settings.overrides()) {
            if (o.user() != null) {
                users.put(userKey(o.user()), o);
            }
        }
        this.userOverrides = Map.copyOf(users);
    }

    /** A new connection from {@code client}: null to go on, or the refusal (the session sends 421 and closes). */
    public Verdict connection(InetAddress client) {
        return hit(client, null, Counted.CONNECTIONS);
    }

    /** A {@code MAIL} from {@code client}, authenticated as {@code user} (or null): null to go on, or a 450. */
    public Verdict message(InetAddress client, String user) {
        return hit(client, user, Counted.MESSAGES);
    }

    /** A {@code RCPT} from {@code client}, authenticated as {@code user} (or null): null to go on, or a 450. */
    public Verdict recipient(InetAddress client, String user) {
        return hit(client, user, Counted.RECIPIENTS);
    }

    private Verdict hit(InetAddress client, String user, Counted counted) {
        boolean perUser = user != null;
        if (!perUser && exempt(client)) {
            return null;
        }
        String subject = perUser ? userKey(user) : network(client).toString();
        List<RateTable.Probe> probes = new ArrayList<>(2);
        for (Limit limit : Limit.values()) {
            if (limit.counted() == counted && limit.perUser() == perUser) {
                probes.add(new RateTable.Probe(limit.key() + " " + subject, limit.window(), value(limit, client, subject)));
            }
        }
        if (probes.isEmpty()) {
            return null; // no per-user connection limit: a user is known only after AUTH
        }
        RateTable.Outcome outcome = table.hit(probes, clock.instant());
        if (outcome.admitted()) {
            return null;
        }
        Limit limit = limitOf(outcome.refused());
        refusals.get(limit).incrementAndGet();
        Metrics.get().defence(Metrics.Defence.RATE_LIMIT, limit.key());
        if (outcome.firstTime()) {
            MailLog.event(null, "throttled").with("ratelimit", limit.key()).with("client", client.getHostAddress())
                    .with("network", perUser ? null : subject).with("user", user)
                    .with("limit", limit.describe(outcome.refused().limit())).warn();
        }
        return refusal(limit, outcome.refused().limit(), perUser);
    }

    /** The reply: says which limit, never whose (the client knows its own login). */
    private static Verdict refusal(Limit limit, int value, boolean perUser) {
        String what = limit.counted().name().toLowerCase(Locale.ROOT);
        String from = perUser ? "your account" : "your network";
        if (limit.counted() == Counted.CONNECTIONS) {
            return Verdict.temporary(421, "4.7.0", "Too many connections from your network (limit "
                    + limit.describe(value) + "), try again later");
        }
        return Verdict.temporary(450, "4.7.1", "Too many " + what + " from " + from + " (limit "
                + limit.describe(value) + "), try again later");
    }

    private Limit limitOf(RateTable.Probe probe) {
        String key = probe.key().substring(0, probe.key().indexOf(' '));
        for (Limit limit : Limit.values()) {
            if (limit.key().equals(key)) {
                return limit;
            }
        }
        throw new IllegalStateException("no limit " + key);
    }

    /** The value of {@code limit} for this client or user: its override if one applies, else the default. */
    private int value(Limit limit, InetAddress client, String subject) {
        LimitOverride override = limit.perUser() ? userOverrides.get(subject) : networkOverride(client);
        Integer value = override == null ? null : override.limits().get(limit);
        return value != null ? value : settings.limit(limit);
    }

    /** The override of the most specific network holding the client, or null. */
    private LimitOverride networkOverride(InetAddress client) {
        LimitOverride best = null;
        for (LimitOverride o : settings.overrides()) {
            if (o.network() != null && o.network().contains(client)
                    && (best == null || o.network().prefixLength() > best.network().prefixLength())) {
                best = o;
            }
        }
        return best;
    }

    private boolean exempt(InetAddress client) {
        if (client.isLoopbackAddress()) {
            return settings.exemptLoopback();
        }
        if (settings.exemptTrusted()) {
            for (IpNetwork network : trusted) {
                if (network.contains(client)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The network the client is counted by. */
    IpNetwork network(InetAddress client) {
        return new IpNetwork(client, client instanceof Inet4Address ? settings.ipv4Prefix() : settings.ipv6Prefix());
    }

    private static String userKey(String user) {
        return user.toLowerCase(Locale.ROOT);
    }

    /** Refusals for {@code limit} since start (for metrics). */
    public long refusals(Limit limit) {
        return refusals.get(limit).get();
    }

    /** Refusals for every limit since start (for metrics). */
    public long refusals() {
        return refusals.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Windows remembered now, at most {@code max_tracked}. */
    public int tracked() {
        return table.size();
    }

    /** Windows forgotten so far to stay within {@code max_tracked} (for metrics). */
    public long evictions() {
        return table.evictions();
    }
}
