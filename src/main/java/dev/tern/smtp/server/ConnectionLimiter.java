package dev.tern.smtp.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections at once, in total and per client address (invariant 7), shared by all listeners. A permit is
 * taken as a connection is accepted and always given back when it closes.
 */
public final class ConnectionLimiter {

    private final int maxTotal;
    private final int maxPerClient;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perClient = new ConcurrentHashMap<>();

    public ConnectionLimiter(int maxTotal, int maxPerClient) {
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
    }

    /** Why a connection was refused, or NONE when it got a permit. */
    public enum Refusal { NONE, TOTAL, PER_CLIENT }

    /** Takes a permit for {@code client}; when the answer is not NONE, nothing was taken. */
    public Refusal tryAcquire(String client) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return Refusal.TOTAL;
        }
        AtomicInteger count = perClient.computeIfAbsent(client, c -> new AtomicInteger());
        if (count.incrementAndGet() > maxPerClient) {
            release(client);
            return Refusal.PER_CLIENT;
        }
        return Refusal.NONE;
    }

    /** Gives back a permit taken by {@link #tryAcquire}. */
    public void release(String client) {
        perClient.computeIfPresent(client, (c, count) -> count.decrementAndGet() <= 0 ? null : count);
        total.decrementAndGet();
    }

    public int active() {
        return total.get();
    }
}
