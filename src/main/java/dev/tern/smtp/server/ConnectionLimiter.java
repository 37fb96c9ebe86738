package dev.tern.smtp.server;

import dev.tern.observe.MailLog;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections at once, in total and per client (invariant 7), shared by all listeners. A permit is taken as a
 * connection is accepted and always given back when it closes. An IPv6 client is counted by its /64, as the
 * AUTH throttle does: one host usually holds a whole /64 and could otherwise take a permit per address.
 *
 * <p>It also says when the server is under stress: from {@code stressThreshold} percent of the total in use,
 * sessions get short timeouts (like Postfix's {@code ${stress?}} parameters), so that idle and slow clients
 * make room for the ones that send mail. Entering and leaving stress is logged.
 */
public final class ConnectionLimiter {

    // Volatile, not final: a reload changes them for the connections that come next (resize).
    private volatile int maxTotal;
    private volatile int maxPerClient;
    private volatile int stressThreshold;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perClient = new ConcurrentHashMap<>();
    private final AtomicBoolean stressed = new AtomicBoolean();

    /** A limiter that is never under stress. */
    public ConnectionLimiter(int maxTotal, int maxPerClient) {
        this(maxTotal, maxPerClient, 100);
    }

    /** @param stressThreshold percent of {@code maxTotal} in use from which {@link #underStress()} is true */
    public ConnectionLimiter(int maxTotal, int maxPerClient, int stressThreshold) {
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
        this.stressThreshold = stressThreshold;
    }

    /**
     * New limits from a reload: connections already open keep their permits, even past a lowered limit;
     * new ones are counted against the new limits.
     */
    public void resize(int newMaxTotal, int newMaxPerClient, int newStressThreshold) {
        this.maxTotal = newMaxTotal;
        this.maxPerClient = newMaxPerClient;
        this.stressThreshold = newStressThreshold;
        noteStress();
    }

    /** Why a connection was refused, or NONE when it got a permit. */
    public enum Refusal { NONE, TOTAL, PER_CLIENT }

    /** Takes a permit for {@code client}; when the answer is not NONE, nothing was taken. */
    public Refusal tryAcquire(InetAddress client) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return Refusal.TOTAL;
        }
        // The count is read and changed in one atomic merge (and computeIfPresent on release), so a release racing with an acquire can neither
        // drop a live count from the map nor leave an increment on a counter that is no longer in it.
        String key = clientKey(client);
        int count = perClient.merge(key, 1, Integer::sum);
        if (count > maxPerClient) {
            giveBack(key);
            return Refusal.PER_CLIENT;
        }
        noteStress();
        return Refusal.NONE;
    }

    /** Gives back a permit taken by {@link #tryAcquire}. */
    public void release(InetAddress client) {
        giveBack(clientKey(client));
        noteStress();
    }

    private void giveBack(String key) {
        perClient.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
        total.decrementAndGet();
    }

    public int active() {
        return total.get();
    }

    /** Whether so many connections are open that sessions should use their stress timeouts. */
    public boolean underStress() {
        return stressed.get();
    }

    private void noteStress() {
        int active = total.get();
        boolean now = stressThreshold < 100 && active * 100L >= (long) maxTotal * stressThreshold;
        if (stressed.compareAndSet(!now, now)) {
            MailLog.event(null, now ? "stress-on" : "stress-off").with("connections", active)
                    .with("max", maxTotal).with("threshold", stressThreshold + "%").warn();
        }
    }

    /** IPv4 as it is; IPv6 by its /64 prefix; an IPv4-mapped IPv6 address as the IPv4 one. */
    static String clientKey(InetAddress client) {
        if (client instanceof Inet6Address) {
            byte[] octets = client.getAddress();
            return HexFormat.of().formatHex(octets, 0, 8) + "::/64";
        }
        return client.getHostAddress();
    }
}
