package dev.tern.policy.greylist;

import dev.tern.config.GreylistSettings;
import dev.tern.mail.IpNetwork;
import dev.tern.observe.MailLog;
import dev.tern.observe.Metrics;
import dev.tern.policy.Verdict;
import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Greylisting at RCPT (RFC 6647: a temporary refusal that a real MTA's retry overcomes, RFC 5321 §4.5.4.1, and
 * that most spam software never retries). The triplet is the client's network ({@code ipv4_prefix}, /24 by
 * default, as large senders retry from another host of the same pool), the envelope sender (the null
 * reverse-path of a bounce is the empty sender, so a bounce is greylisted by client and recipient, as
 * postgrey does) and the recipient, compared case-insensitively.
 * <ul>
 *   <li>A triplet never seen, or forgotten: {@code 450 4.2.0 Greylisted, please try again in N seconds}
 *       (RFC 3463 X.2.0: a mailbox status, temporary), logged as {@code greylisted}.</li>
 *   <li>Seen, retried before {@code delay}: the same reply with the seconds left.</li>
 *   <li>Retried after {@code delay} and within {@code retry_window}: it passes, is kept {@code max_age} since it
 *       was last seen, and counts one pass for its client network; after {@code auto_allow_clients} passes the
 *       network skips greylisting (postgrey's {@code --auto-whitelist-clients}).</li>
 * </ul>
 * Skipped, and counted as skipped: authenticated users, trusted networks, clients an allow list vouched for,
 * and senders of a listed domain whose SPF passes. Thread-safe; the store is used under one lock.
 */
public final class Greylist implements Closeable {

    /** Whether the SPF check of a sender passes for a client (RFC 7208); asked only for listed domains. */
    @FunctionalInterface
    public interface SpfCheck {
        boolean passes(InetAddress client, String sender, String helo);
    }

    /**
     * One RCPT to decide.
     *
     * @param client        the client's address
     * @param helo          its HELO name (for SPF with the null sender), or null
     * @param sender        the reverse-path, "" for the null one
     * @param recipient     the recipient
     * @param authenticated whether the client authenticated
     * @param trusted       whether it is in a trusted network
     * @param vouchedBy     what vouched for it (an allow list), or null
     */
    public record Request(InetAddress client, String helo, String sender, String recipient, boolean authenticated,
                          boolean trusted, String vouchedBy) {
    }

    private final GreylistSettings settings;
    private final InstantSource clock;
    private final SpfCheck spf;
    private final GreylistStore store;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong greylisted = new AtomicLong();
    private final AtomicLong passed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private long lastPrune;

    private Greylist(GreylistSettings settings, InstantSource clock, SpfCheck spf, GreylistStore store) {
        this.settings = settings;
        this.clock = clock;
        this.spf = spf;
        this.store = store;
        this.lastPrune = clock.instant().getEpochSecond();
    }

    /**
     * Opens the store in {@code dir} (the data directory's {@code greylist}), dropping expired entries.
     *
     * @param spf the SPF check for {@code skip_spf_pass_domains}
     */
    public static Greylist open(GreylistSettings settings, Path dir, InstantSource clock, SpfCheck spf)
            throws IOException {
        long now = clock.instant().getEpochSecond();
        GreylistStore store = GreylistStore.open(dir, settings.maxEntries(), t -> expired(settings, t, now),
                c -> expired(settings, c, now));
        return new Greylist(settings, clock, spf, store);
    }

    /** Null when the recipient may be accepted, or the {@code 450 4.2.0} to reply. */
    public Verdict check(Request r) {
        String skip = skipReason(r);
        if (skip != null) {
            skipped.incrementAndGet();
            return null;
        }
        String network = network(r.client()).toString();
        String key = GreylistStore.key(network, r.sender().toLowerCase(Locale.ROOT),
                r.recipient().toLowerCase(Locale.ROOT));
        long now = clock.instant().getEpochSecond();
        lock.lock();
        try {
            pruneNowAndThen(now);
            GreylistStore.Client client = store.client(network);
            if (client != null && !expired(settings, client, now) && settings.autoAllowClients() > 0
                    && client.passes() >= settings.autoAllowClients()) {
                store.put(network, new GreylistStore.Client(client.passes(), now));
                skipped.incrementAndGet();
                return null;
            }
            return decide(r, network, key, client, now);
        } finally {
            lock.unlock();
        }
    }

    private Verdict decide(Request r, String network, String key, GreylistStore.Client client, long now) {
        GreylistStore.Triplet t = store.triplet(key);
        if (t == null || expired(settings, t, now)) {
            store.put(key, new GreylistStore.Triplet(now, now, false));
            return defer(r, network, settings.delay().toSeconds(), "new");
        }
        if (t.passed()) {
            store.put(key, new GreylistStore.Triplet(t.first(), now, true));
            return null;
        }
        long waited = now - t.first();
        if (waited < settings.delay().toSeconds()) {
            store.put(key, new GreylistStore.Triplet(t.first(), now, false));
            return defer(r, network, settings.delay().toSeconds() - waited, "early retry");
        }
        store.put(key, new GreylistStore.Triplet(t.first(), now, true));
        int passes = client == null || expired(settings, client, now) ? 1 : client.passes() + 1;
        store.put(network, new GreylistStore.Client(passes, now));
        passed.incrementAndGet();
        Metrics.get().defence(Metrics.Defence.GREYLIST, "passed");
        MailLog.event(null, "greylist-passed").with("client", r.client().getHostAddress()).with("network", network)
                .address("from", "<" + r.sender() + ">").address("to", "<" + r.recipient() + ">")
                .with("waited", waited + "s").with("passes", passes).log();
        return null;
    }

    private Verdict defer(Request r, String network, long seconds, String why) {
        greylisted.incrementAndGet();
        Metrics.get().defence(Metrics.Defence.GREYLIST, "greylisted");
        MailLog.event(null, "greylisted").with("client", r.client().getHostAddress()).with("network", network)
                .address("from", "<" + r.sender() + ">").address("to", "<" + r.recipient() + ">")
                .with("reason", why).with("retry", seconds + "s").log();
        return Verdict.temporary(450, "4.2.0", "Greylisted, please try again in " + seconds + " seconds");
    }

    /** Why this RCPT is not greylisted, or null when it is. */
    private String skipReason(Request r) {
        if (r.authenticated()) {
            return "authenticated";
        }
        if (r.trusted()) {
            return "trusted";
        }
        if (r.vouchedBy() != null) {
            return r.vouchedBy();
        }
        int at = r.sender().lastIndexOf('@');
        String domain = at < 0 ? "" : r.sender().substring(at + 1).toLowerCase(Locale.ROOT);
        for (String listed : settings.spfPassDomains()) {
            if ((domain.equals(listed) || domain.endsWith("." + listed)) && spf.passes(r.client(), r.sender(), r.helo())) {
                return "spf pass";
            }
        }
        return null;
    }

    /** Once an hour, forgets what has expired, so memory holds only live triplets. */
    private void pruneNowAndThen(long now) {
        if (now - lastPrune >= 3600) {
            lastPrune = now;
            store.prune(t -> expired(settings, t, now), c -> expired(settings, c, now));
        }
    }

    private static boolean expired(GreylistSettings s, GreylistStore.Triplet t, long now) {
        return t.passed() ? now - t.last() > s.maxAge().toSeconds() : now - t.first() > s.retryWindow().toSeconds();
    }

    private static boolean expired(GreylistSettings s, GreylistStore.Client c, long now) {
        return now - c.last() > s.maxAge().toSeconds();
    }

    private IpNetwork network(InetAddress client) {
        return new IpNetwork(client, client instanceof Inet4Address ? settings.ipv4Prefix() : settings.ipv6Prefix());
    }

    /** RCPTs deferred so far (for metrics). */
    public long greylisted() {
        return greylisted.get();
    }

    /** Triplets that passed after their retry (for metrics). */
    public long passed() {
        return passed.get();
    }

    /** RCPTs not greylisted because a skip or the auto allow list applied (for metrics). */
    public long skipped() {
        return skipped.get();
    }

    /** Triplets kept now. */
    public int size() {
        lock.lock();
        try {
            return store.triplets();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            store.close();
        } finally {
            lock.unlock();
        }
    }
}
