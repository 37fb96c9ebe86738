package dev.tern.sts;

import dev.tern.config.MtaStsSettings;
import dev.tern.dns.DnsResolver;
import dev.tern.observe.MailLog;
import dev.tern.tls.TrustAnchors;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The production {@link StsPolicies}: the {@code _mta-sts} TXT record through Tern's resolver, the policy over
 * HTTPS ({@link HttpsPolicyFetcher}), and the cache of RFC 8461 §5.1 ({@link PolicyCache}):
 *
 * <ul>
 *   <li>a cached policy whose {@code id} is still the one in DNS is used without a fetch until half its
 *       {@code max_age} has passed; then it is fetched again, and a failed refresh keeps it;</li>
 *   <li>a new {@code id} is fetched at once; a failed fetch keeps the cached policy;</li>
 *   <li>when DNS fails, or the record is gone or invalid, the cached policy stays in force: a DNS outage or a
 *       stripped record must not turn a policy off, only its expiry does;</li>
 *   <li>an expired policy is dropped before anything else;</li>
 *   <li>after a failed fetch, the same {@code id} is not fetched again for {@code fetch_retry} (§3.3);</li>
 *   <li>{@code mode: none} withdraws the policy (§8.3): it is cached like any other and found as {@link StsLookup.None}.</li>
 * </ul>
 *
 * Every failure is one mail-log line ({@code mta-sts domain=... result=...}); nothing is thrown.
 */
public final class HttpsStsPolicies implements StsPolicies, AutoCloseable {

    private static final Pattern DOMAIN =
            Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final int LOCKS = 64;

    private final DnsResolver dns;
    private final PolicyCache cache;
    private final PolicyFetcher fetcher;
    private final Clock clock;
    private final Duration fetchRetry;
    private final int maxFailures;
    private final ReentrantLock[] locks = new ReentrantLock[LOCKS];
    private final ReentrantLock failuresLock = new ReentrantLock();
    private final Map<String, FailedFetch> failures;
    /**
     * The domains whose record is gone or unreadable while their cached policy holds, with that policy's id: the
     * mail log says so once when it starts, not at every delivery until the policy expires. Bounded as
     * {@link #failures} is.
     */
    private final Set<String> keptWithoutRecord = ConcurrentHashMap.newKeySet();

    /** A fetch that failed: for which id, when, and what it said. */
    private record FailedFetch(String id, Instant at, StsLookup.Failed result) {
    }

    HttpsStsPolicies(MtaStsSettings settings, DnsResolver dns, PolicyCache cache, PolicyFetcher fetcher, Clock clock) {
        this.dns = dns;
        this.cache = cache;
        this.fetcher = fetcher;
        this.clock = clock;
        this.fetchRetry = settings.fetchRetry();
        this.maxFailures = settings.cacheEntries();
        this.failures = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, FailedFetch> eldest) {
                return size() > maxFailures;
            }
        };
        for (int i = 0; i < LOCKS; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /**
     * The policies of recipient domains as {@code [mta_sts]} says: {@link StsPolicies#NONE} when it is off.
     *
     * @param cacheDir where the fetched policies are kept (a directory of the data directory)
     * @param caFile   PEM certificates trusted besides the JDK's ({@code [delivery] ca_file}), or null
     * @throws IOException when the CA file cannot be read
     */
    public static StsPolicies configured(MtaStsSettings settings, DnsResolver dns, Path cacheDir, Path caFile)
            throws IOException {
        return settings.enabled() ? create(settings, dns, cacheDir, caFile, settings.fetchPort(), Clock.systemUTC())
                : NONE;
    }

    /** As {@link #configured}, always on, fetching from {@code port} (tests serve on an ephemeral port). */
    static HttpsStsPolicies create(MtaStsSettings settings, DnsResolver dns, Path cacheDir, Path caFile, int port,
            Clock clock) throws IOException {
        PolicyFetcher fetcher = new HttpsPolicyFetcher(TrustAnchors.clientContext(caFile), settings.fetchTimeout(),
                settings.maxPolicySize(), port);
        return new HttpsStsPolicies(settings, dns, new PolicyCache(cacheDir, settings.cacheEntries()), fetcher, clock);
    }

    @Override
    public StsLookup lookup(String domain) {
        String name = normalize(domain);
        if (name == null) {
            return new StsLookup.None(); // an address literal or no domain at all: no policy can exist
        }
        ReentrantLock lock = locks[Math.floorMod(name.hashCode(), LOCKS)];
        lock.lock();
        try {
            return find(name);
        } catch (RuntimeException e) {
            log(name, PolicyFetcher.FETCH_ERROR).with("detail", "unexpected: " + e).warn();
            return new StsLookup.Failed(PolicyFetcher.FETCH_ERROR, "unexpected error");
        } finally {
            lock.unlock();
        }
    }

    private StsLookup find(String domain) {
        Instant now = clock.instant();
        PolicyCache.Cached cached = cache.get(domain);
        if (cached != null && cached.expiredAt(now)) {
            cache.remove(domain);
            log(domain, "expired").with("id", cached.policy().id()).log();
            cached = null;
        }
        StsRecord.Outcome record = StsRecord.of(dns.txt("_mta-sts." + domain));
        return switch (record) {
            case StsRecord.Unknown unknown -> withoutRecord(domain, cached, PolicyFetcher.FETCH_ERROR,
                    "DNS lookup of _mta-sts." + domain + " failed: " + unknown.reason());
            case StsRecord.Absent absent -> withoutRecord(domain, cached, null, absent.problem());
            case StsRecord.Id id -> withRecord(domain, cached, id.id(), now);
        };
    }

    /** No usable TXT record now: the cached policy holds until it expires (§5.1); else no policy. */
    private StsLookup withoutRecord(String domain, PolicyCache.Cached cached, String resultType, String problem) {
        if (cached != null) {
            if (keptWithoutRecord.size() >= maxFailures) {
                keptWithoutRecord.clear(); // a bound on memory; at worst a line is written again
            }
            if (keptWithoutRecord.add(domain + " " + cached.policy().id())) {
                log(domain, "cached-kept").with("id", cached.policy().id()).with("until", cached.expires())
                        .with("detail", problem == null ? "no _mta-sts record" : problem).warn();
            }
            return found(cached);
        }
        if (problem == null) {
            return new StsLookup.None();
        }
        if (resultType == null) {
            log(domain, "no-policy").with("detail", problem).warn();
            return new StsLookup.None(); // §3.1: an invalid record means no available policy
        }
        log(domain, resultType).with("detail", problem).warn();
        return new StsLookup.Failed(resultType, problem);
    }

    private StsLookup withRecord(String domain, PolicyCache.Cached cached, String id, Instant now) {
        if (cached != null) {
            keptWithoutRecord.remove(domain + " " + cached.policy().id()); // the record is back
        }
        boolean current = cached != null && cached.policy().id().equals(id);
        if (current && now.isBefore(cached.fetchedAt().plus(cached.policy().maxAge().dividedBy(2)))) {
            return found(cached);
        }
        FailedFetch failed = recentFailure(domain, id, now);
        if (failed != null) {
            return cached != null ? found(cached) : failed.result();
        }
        PolicyFetcher.Fetch fetch = fetcher.fetch(domain);
        if (fetch instanceof PolicyFetcher.Body body) {
            try {
                StsPolicy policy = PolicyText.parse(body.text(), id);
                PolicyCache.Cached fresh = new PolicyCache.Cached(policy, body.text(), now);
                cache.put(domain, fresh);
                forgetFailure(domain);
                log(domain, current ? "refreshed" : "fetched").with("id", id).with("mode", policy.mode().word())
                        .with("max_age", policy.maxAge().toSeconds()).log();
                return found(fresh);
            } catch (PolicyText.InvalidPolicyException e) {
                fetch = new PolicyFetcher.Failure(PolicyFetcher.INVALID, "invalid policy: " + e.getMessage());
            }
        }
        PolicyFetcher.Failure failure = (PolicyFetcher.Failure) fetch;
        StsLookup.Failed result = new StsLookup.Failed(failure.resultType(), failure.detail());
        rememberFailure(domain, new FailedFetch(id, now, result));
        MailLog.Line line = log(domain, failure.resultType()).with("id", id).with("detail", failure.detail());
        if (cached != null) {
            line.with("using", "cached").with("cached_id", cached.policy().id()).with("until", cached.expires());
        }
        line.warn();
        return cached != null ? found(cached) : result;
    }

    /** A policy in force, or none when the domain withdrew it with {@code mode: none} (§8.3). */
    private static StsLookup found(PolicyCache.Cached cached) {
        return cached.policy().mode() == StsPolicy.Mode.NONE ? new StsLookup.None()
                : new StsLookup.Found(cached.policy(), cached.text());
    }

    private FailedFetch recentFailure(String domain, String id, Instant now) {
        failuresLock.lock();
        try {
            FailedFetch failed = failures.get(domain);
            return failed != null && failed.id().equals(id) && now.isBefore(failed.at().plus(fetchRetry))
                    ? failed : null;
        } finally {
            failuresLock.unlock();
        }
    }

    private void rememberFailure(String domain, FailedFetch failed) {
        failuresLock.lock();
        try {
            failures.put(domain, failed);
        } finally {
            failuresLock.unlock();
        }
    }

    private void forgetFailure(String domain) {
        failuresLock.lock();
        try {
            failures.remove(domain);
        } finally {
            failuresLock.unlock();
        }
    }

    private static MailLog.Line log(String domain, String result) {
        return MailLog.event(null, "mta-sts").with("domain", domain).with("result", result);
    }

    /** The lower-case A-label name without a trailing dot, or null when it cannot be a domain. */
    static String normalize(String domain) {
        if (domain == null) {
            return null;
        }
        String name = domain.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name.length() <= 253 && DOMAIN.matcher(name).matches() ? name : null;
    }

    @Override
    public void close() {
        if (fetcher instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // closing a client that made no request yet, or is closed: nothing to do
            }
        }
    }
}
