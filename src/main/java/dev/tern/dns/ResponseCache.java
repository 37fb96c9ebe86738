package dev.tern.dns;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * Answers kept for as long as their TTL allows, so that the lookups every received message needs (SPF,
 * DKIM keys, DMARC, MX) do not go to the network each time. Positive answers live for the smallest TTL of
 * their records; NXDOMAIN and NODATA for the negative TTL of RFC 2308 §5 (the smaller of the SOA's TTL and
 * its MINIMUM), and not at all without a SOA. Failures are never kept. Entries are capped in number (the
 * least recently used go first) and in lifetime ({@link #MAX_TTL_SECONDS}).
 */
public final class ResponseCache {

    /** No answer is kept longer than this, whatever its TTL says (a stale record must not linger for days). */
    public static final long MAX_TTL_SECONDS = 3600;

    /** A cache that keeps nothing. */
    public static final ResponseCache NONE = new ResponseCache(0, System::nanoTime);

    private record Key(Name name, int type) { }

    private record Cached(Message response, long expiresNanos) { }

    private final int maxEntries;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<Key, Cached> entries;

    public ResponseCache(int maxEntries) {
        this(maxEntries, System::nanoTime);
    }

    ResponseCache(int maxEntries, LongSupplier nanoTime) {
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Cached> eldest) {
                return size() > ResponseCache.this.maxEntries;
            }
        };
    }

    /** The kept response for this question, or null. */
    Message get(Name name, int type) {
        if (maxEntries == 0) {
            return null;
        }
        lock.lock();
        try {
            Key key = new Key(name, type);
            Cached entry = entries.get(key);
            if (entry == null) {
                return null;
            }
            if (nanoTime.getAsLong() - entry.expiresNanos >= 0) {
                entries.remove(key);
                return null;
            }
            return entry.response;
        } finally {
            lock.unlock();
        }
    }

    /** Keeps a response for as long as its TTLs allow (possibly not at all). */
    void put(Name name, int type, Message response) {
        if (maxEntries == 0) {
            return;
        }
        long ttl = Math.min(ttlSeconds(response, type), MAX_TTL_SECONDS);
        if (ttl <= 0) {
            return;
        }
        lock.lock();
        try {
            entries.put(new Key(name, type), new Cached(response, nanoTime.getAsLong() + ttl * 1_000_000_000L));
        } finally {
            lock.unlock();
        }
    }

    /** The answer's lifetime in seconds; 0 when it must not be kept. */
    static long ttlSeconds(Message response, int type) {
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return 0;
        }
        long min = Long.MAX_VALUE;
        boolean answered = false;
        for (Record record : response.getSection(Section.ANSWER)) {
            min = Math.min(min, record.getTTL());
            answered |= record.getType() == type;
        }
        if (answered) {
            return min;
        }
        for (Record record : response.getSection(Section.AUTHORITY)) {
            if (record instanceof SOARecord soa) {
                return Math.min(min, Math.min(soa.getTTL(), soa.getMinimum())); // RFC 2308 §5
            }
        }
        return 0;
    }

    int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }
}
