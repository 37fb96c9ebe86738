package dev.tern.policy.screen;

import dev.tern.config.ScreenSettings;
import dev.tern.dns.DnsResolver;
import dev.tern.mail.IpNetwork;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The MX listener's screen, shared by all its sessions: the settings, the DNS, the cache of clients that passed,
 * and the virtual threads that run the DNS list lookups. {@link #begin} is called at connect and starts them.
 */
public final class Screen implements AutoCloseable {

    final ScreenSettings settings;
    final DnsResolver dns;
    final PassCache passed;
    final String hostname;
    final ExecutorService lookups = Executors.newVirtualThreadPerTaskExecutor();

    public Screen(ScreenSettings settings, DnsResolver dns, PassCache passed, String hostname) {
        this.settings = settings;
        this.dns = dns;
        this.passed = passed;
        this.hostname = hostname;
    }

    /** A screen whose cache of passed clients lives in {@code dataDir}/{@value PassCache#FILE}. */
    public static Screen open(ScreenSettings settings, DnsResolver dns, Path dataDir, String hostname, Clock clock)
            throws IOException {
        PassCache cache = settings.pregreetDelay().isZero() ? PassCache.none(clock)
                : PassCache.open(dataDir.resolve(PassCache.FILE), settings.passTtl(), settings.cacheMaxEntries(), clock);
        return new Screen(settings, dns, cache, hostname);
    }

    /**
     * At connect: what the allow and deny lists say of the client, and its DNS list lookups started, so that
     * they run while the client waits for the greeting.
     */
    public Screening begin(InetAddress client) {
        Access access = access(client);
        DnsLists lists = access == Access.NONE && !settings.dnsblSites().isEmpty()
                ? DnsLists.ofAddress(client, settings.dnsblSites(), dns, lookups) : null;
        return new Screening(this, client, access, lists, System.nanoTime());
    }

    /** What the network lists say of a client. */
    enum Access { ALLOW, DENY, NONE }

    /** The most specific matching network wins; of two equally specific, deny (a mistake then fails closed). */
    Access access(InetAddress client) {
        int allow = longestMatch(settings.allowNetworks(), client);
        int deny = longestMatch(settings.denyNetworks(), client);
        if (allow < 0 && deny < 0) {
            return Access.NONE;
        }
        return allow > deny ? Access.ALLOW : Access.DENY;
    }

    private static int longestMatch(Iterable<IpNetwork> networks, InetAddress client) {
        int best = -1;
        for (IpNetwork network : networks) {
            if (network.contains(client)) {
                best = Math.max(best, network.prefixLength());
            }
        }
        return best;
    }

    @Override
    public void close() throws IOException {
        lookups.shutdownNow();
        passed.close();
    }
}
