package dev.tern.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Which recursive DNS servers Tern asks, read from {@code [dns]} by {@link DnsReader}.
 *
 * @param servers recursive resolvers, asked in order; empty for those of the system ({@code /etc/resolv.conf})
 * @param timeout how long to wait for one server's answer to one query
 * @param retries further rounds over all servers after the first one fails
 * @param cacheMaxBytes the most memory (estimated from the records) the cache of answers may take; 0 for none
 */
public record DnsSettings(List<InetSocketAddress> servers, Duration timeout, int retries, long cacheMaxBytes) {

    /** Port 53 (RFC 1035 §4.2). */
    public static final int DNS_PORT = 53;
    /** The default {@code cache_max_bytes}: 16 MiB. */
    public static final long DEFAULT_CACHE_MAX_BYTES = 16L << 20;

    public DnsSettings {
        servers = List.copyOf(servers);
    }

    /** With the default cache size. */
    public DnsSettings(List<InetSocketAddress> servers, Duration timeout, int retries) {
        this(servers, timeout, retries, DEFAULT_CACHE_MAX_BYTES);
    }

    public static DnsSettings defaults() {
        return new DnsSettings(List.of(), Duration.ofSeconds(5), 2);
    }

    /** Whether the system's resolvers are used. */
    public boolean useSystemServers() {
        return servers.isEmpty();
    }
}
