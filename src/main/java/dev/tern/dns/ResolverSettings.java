package dev.tern.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.ResolverConfig;

/**
 * Where and how to ask: the recursive servers, the wait for one answer and the number of further tries.
 *
 * @param servers recursive resolvers, asked in order
 * @param timeout how long to wait for one server's answer to one query
 * @param retries further rounds over all servers after the first one fails
 */
public record ResolverSettings(List<InetSocketAddress> servers, Duration timeout, int retries) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_RETRIES = 2;

    public ResolverSettings {
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one DNS server is needed");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("DNS timeout must be positive: " + timeout);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("DNS retries must not be negative: " + retries);
        }
    }

    /** The servers of /etc/resolv.conf (or the platform's equivalent), with the default timeout and retries. */
    public static ResolverSettings system() {
        List<InetSocketAddress> servers = ResolverConfig.getCurrentConfig().servers();
        if (servers.isEmpty()) {
            servers = List.of(new InetSocketAddress("127.0.0.1", 53));
        }
        return new ResolverSettings(servers, DEFAULT_TIMEOUT, DEFAULT_RETRIES);
    }

    /** One server, for example a loopback test server on an ephemeral port. */
    public static ResolverSettings of(InetSocketAddress server, Duration timeout, int retries) {
        return new ResolverSettings(List.of(server), timeout, retries);
    }
}
