package dev.tern.policy.mailauth;

import dev.tern.dns.DnsResolver;
import dev.tern.dns.DnsResult;
import dev.tern.dns.ForwardingDnsResolver;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The DNS of one message's checks: TXT lookups whose names are known early (DKIM keys, the DMARC record of the
 * From domain) are started at once, each on its own virtual thread, and the checks that ask for them later
 * (in their own order, one after the other) get the answer, or wait for it. Other lookups go straight through.
 * Lives as long as one message; answers outlive it only in the {@code dns} gateway's TTL cache.
 */
final class PrefetchingDns extends ForwardingDnsResolver {

    /** A new virtual thread per lookup: they only wait on the network. */
    static final Executor VIRTUAL = task -> Thread.ofVirtual().name("auth-dns").start(task);

    private final Map<String, CompletableFuture<DnsResult<String>>> txt = new ConcurrentHashMap<>();

    PrefetchingDns(DnsResolver dns) {
        super(dns);
    }

    /** Starts a TXT lookup now, unless one for the name already runs. */
    void prefetchTxt(String name) {
        txt.computeIfAbsent(key(name), k -> CompletableFuture.supplyAsync(() -> delegate.txt(name), VIRTUAL));
    }

    @Override
    public DnsResult<String> txt(String name) {
        CompletableFuture<DnsResult<String>> pending = txt.get(key(name));
        if (pending == null) {
            return delegate.txt(name);
        }
        try {
            return pending.join();
        } catch (RuntimeException e) {
            // the resolver never throws for DNS trouble; whatever did is a lookup that gave no answer
            return new DnsResult.Temporary<>("lookup failed: " + e.getMessage());
        }
    }

    private static String key(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
