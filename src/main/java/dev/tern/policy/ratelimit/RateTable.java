package dev.tern.policy.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The windows of every client and user, by key, at most {@code maxEntries} of them: beyond that the least
 * recently seen is forgotten (a {@link LinkedHashMap} in access order), so a flood of distinct addresses costs
 * a bounded amount of memory and, at worst, lets the forgotten ones start counting afresh. One lock guards the
 * map; what it does under the lock is a few arithmetic operations, never I/O.
 */
final class RateTable {

    /** One window to consult: its key, length and limit (0 for none). */
    record Probe(String key, Duration window, int limit) {
    }

    /**
     * What {@link #hit} decided.
     *
     * @param refused   the first probe that refused, or null when all admitted (and were counted)
     * @param firstTime whether this is the first refusal of that window, the one to log
     */
    record Outcome(Probe refused, boolean firstTime) {
        static final Outcome ADMITTED = new Outcome(null, false);

        boolean admitted() {
            return refused == null;
        }
    }

    private final int maxEntries;
    private final ReentrantLock lock = new ReentrantLock();
    private long evictions;
    private final LinkedHashMap<String, SlidingWindow> windows;

    RateTable(int maxEntries) {
        this.maxEntries = maxEntries;
        this.windows = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SlidingWindow> eldest) {
                if (size() > RateTable.this.maxEntries) {
                    evictions++;
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * One event against all of {@code probes}, atomically: when every one admits it, it is counted in each;
     * when one refuses, it is counted in none (a refused attempt does not extend the refusal: a client that
     * keeps retrying gets through as soon as its rate is back under the limit).
     */
    Outcome hit(List<Probe> probes, Instant when) {
        long now = when.toEpochMilli();
        lock.lock();
        try {
            for (Probe probe : probes) {
                if (probe.limit() == 0) {
                    continue;
                }
                SlidingWindow window = window(probe, now);
                if (!window.admits(now, probe.limit())) {
                    return new Outcome(probe, window.firstRefusal(now));
                }
            }
            for (Probe probe : probes) {
                if (probe.limit() != 0) {
                    window(probe, now).add(now);
                }
            }
            return Outcome.ADMITTED;
        } finally {
            lock.unlock();
        }
    }

    private SlidingWindow window(Probe probe, long now) {
        SlidingWindow window = windows.get(probe.key());
        if (window == null) {
            window = new SlidingWindow(probe.window().toMillis(), now);
            windows.put(probe.key(), window);
        }
        return window;
    }

    /** The windows remembered now. */
    int size() {
        lock.lock();
        try {
            return windows.size();
        } finally {
            lock.unlock();
        }
    }

    /** Windows forgotten so far to stay within the bound. */
    long evictions() {
        lock.lock();
        try {
            return evictions;
        } finally {
            lock.unlock();
        }
    }
}
