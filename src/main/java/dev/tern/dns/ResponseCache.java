package dev.tern.dns;

import java.util.Iterator;
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
 * its MINIMUM), and not at all without a SOA. Failures are never kept. Entries are capped in lifetime
 * ({@link #MAX_TTL_SECONDS}) and together in memory ({@code [dns] cache_max_bytes}): a count of entries
 * would not bound it, since anyone who sends us mail chooses the names we look up, and one TXT answer
 * (SPF, DKIM keys) may hold tens of kilobytes. Each entry's size is estimated from its records
 * ({@link #estimatedBytes}); the least recently used go first.
 */
public final class ResponseCache {

    /** No answer is kept longer than this, whatever its TTL says (a stale record must not linger for days). */
    public static final long MAX_TTL_SECONDS = 3600;

    /** The default bound on the cache's memory: 16 MiB. */
    public static final long DEFAULT_MAX_BYTES = 16L << 20;

    /** A cache that keeps nothing. */
    public static final ResponseCache NONE = new ResponseCache(0, System::nanoTime);

    /** What an entry costs beside its records: key, map entry, message and header objects. */
    static final int ENTRY_OVERHEAD = 256;
    /** What a record costs beside its owner name and data octets: the record object and its name object. */
    static final int RECORD_OVERHEAD = 96;

    private record Key(Name name, int type) { }

    private record Cached(Message response, long expiresNanos, long bytes) { }

    private final long maxBytes;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<Key, Cached> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes; // the estimated size of all entries, under the lock

    /** @param maxBytes the most memory the entries may take, by {@link #estimatedBytes}; 0 keeps nothing */
    public ResponseCache(long maxBytes) {
        this(maxBytes, System::nanoTime);
    }

    ResponseCache(long maxBytes, LongSupplier nanoTime) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("cache size must not be negative: " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.nanoTime = nanoTime;
    }

    /** The kept response for this question, or null. */
    Message get(Name name, int type) {
        if (maxBytes == 0) {
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
                remove(key);
                return null;
            }
            return entry.response;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Keeps a response for as long as its TTLs allow (possibly not at all), making room by dropping the least
     * recently used entries. A response bigger than the whole cache is not kept.
     */
    void put(Name name, int type, Message response) {
        if (maxBytes == 0) {
            return;
        }
        long ttl = Math.min(ttlSeconds(response, type), MAX_TTL_SECONDS);
        if (ttl <= 0) {
            return;
        }
        long size = estimatedBytes(response);
        if (size > maxBytes) {
            return;
        }
        lock.lock();
        try {
            Key key = new Key(name, type);
            remove(key);
            entries.put(key, new Cached(response, nanoTime.getAsLong() + ttl * 1_000_000_000L, size));
            bytes += size;
            Iterator<Map.Entry<Key, Cached>> eldest = entries.entrySet().iterator();
            while (bytes > maxBytes && eldest.hasNext()) {
                bytes -= eldest.next().getValue().bytes();
                eldest.remove();
            }
        } finally {
            lock.unlock();
        }
    }

    private void remove(Key key) {
        Cached old = entries.remove(key);
        if (old != null) {
            bytes -= old.bytes();
        }
    }

    /**
     * An estimate of the memory a response takes in the cache: {@link #ENTRY_OVERHEAD}, and for each record
     * {@link #RECORD_OVERHEAD} plus its owner name and its data in wire octets. dnsjava keeps names and data
     * much as they travel (byte arrays), so the estimate follows the real size, proportionally.
     */
    static long estimatedBytes(Message response) {
        long size = ENTRY_OVERHEAD;
        for (int section : new int[] {Section.QUESTION, Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record record : response.getSection(section)) {
                size += RECORD_OVERHEAD + record.getName().length()
                        + (section == Section.QUESTION ? 0 : record.rdataToWireCanonical().length);
            }
        }
        return size;
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

    /** The estimated size of what is kept now. */
    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }
}
