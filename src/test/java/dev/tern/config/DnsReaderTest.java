package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DnsReaderTest {

    private static DnsSettings read(String toml) throws Exception {
        return DnsReader.read(DeliveryReaderTest.top(toml), DnsSettings.defaults());
    }

    @Test
    void defaultsUseTheSystemResolvers() throws Exception {
        DnsSettings dns = read("");
        assertThat(dns.useSystemServers()).isTrue();
        assertThat(dns.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(dns.retries()).isEqualTo(2);
        assertThat(dns.cacheMaxBytes()).isEqualTo(16L << 20);
    }

    @Test
    void theCacheIsBoundedInBytes() throws Exception {
        assertThat(read("[dns]\ncache_max_bytes = \"4MiB\"\n").cacheMaxBytes()).isEqualTo(4L << 20);
        assertThat(read("[dns]\ncache_max_bytes = 0\n").cacheMaxBytes()).isZero();
        Throwable t = null;
        try {
            read("[dns]\ncache_max_bytes = \"2GiB\"\n");
        } catch (Throwable e) {
            t = e;
        }
        assertThat(t).isInstanceOf(ConfigException.class).hasMessageContaining("dns.cache_max_bytes: must be between");
    }

    @Test
    void serversWithAndWithoutPorts() throws Exception {
        DnsSettings dns = read("""
                [dns]
                servers = ["192.0.2.53", "127.0.0.1:5353", "[::1]:5300", "2001:db8::53"]
                timeout = "2s"
                retries = 0
                """);
        assertThat(dns.servers()).containsExactly(new InetSocketAddress("192.0.2.53", 53),
                new InetSocketAddress("127.0.0.1", 5353), new InetSocketAddress("::1", 5300),
                new InetSocketAddress("2001:db8::53", 53));
        assertThat(dns.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(dns.retries()).isZero();
    }

    @Test
    void aHostNameOrABadPortIsRefused() {
        for (String bad : new String[] {"dns.example", "127.0.0.1:0", "127.0.0.1:x", "[::1", "1.2.3.4:53:1"}) {
            Throwable t = null;
            try {
                read("[dns]\nservers = [\"" + bad + "\"]\n");
            } catch (Throwable e) {
                t = e;
            }
            assertThat(t).as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("dns.servers: must list IP addresses");
        }
    }
}
