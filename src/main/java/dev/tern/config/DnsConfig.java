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
 */
public record DnsConfig(List<InetSocketAddress> servers, Duration timeout, int retries) {

    /** Port 53 (RFC 1035 §4.2). */
    public static final int DNS_PORT = 53;

    public DnsConfig {
        servers = List.copyOf(servers);
    }

    public static DnsConfig defaults() {
        return new DnsConfig(List.of(), Duration.ofSeconds(5), 2);
    }

    /** Whether the system's resolvers are used. */
    public boolean useSystemServers() {
        return servers.isEmpty();
    }
}
