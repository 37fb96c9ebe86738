package dev.tern.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.testdns.TestDnsServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The answer cache, against the real loopback DNS server (its records have a TTL of 300 s). */
class ResponseCacheTest {

    private TestDnsServer server;
    private final AtomicLong now = new AtomicLong();
    private DnsjavaResolver dns;

    @BeforeEach
    void start() throws Exception {
        server = TestDnsServer.start();
        dns = new DnsjavaResolver(DnsSettings.of(server.address(), Duration.ofMillis(300), 0),
                new ResponseCache(100, now::get));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anAnswerIsReusedUntilItsTtlRunsOut() {
        server.addTxt("example.test", "v=spf1 -all");

        assertThat(dns.txt("example.test").records()).containsExactly("v=spf1 -all");
        assertThat(dns.txt("EXAMPLE.test").records()).containsExactly("v=spf1 -all");
        assertThat(server.udpQueries()).isEqualTo(1);

        now.addAndGet(Duration.ofSeconds(299).toNanos());
        dns.txt("example.test");
        assertThat(server.udpQueries()).isEqualTo(1);

        now.addAndGet(Duration.ofSeconds(2).toNanos());
        dns.txt("example.test");
        assertThat(server.udpQueries()).isEqualTo(2);
    }

    @Test
    void failuresAreAskedAgain() {
        server.servfail("broken.test");

        assertThat(dns.txt("broken.test").isTemporary()).isTrue();
        assertThat(dns.txt("broken.test").isTemporary()).isTrue();
        assertThat(server.udpQueries()).isEqualTo(2);
    }

    @Test
    void typesAreKeptApart() {
        server.add("mx.example.test", "A", "192.0.2.1");
        server.addTxt("mx.example.test", "hello");

        assertThat(dns.a("mx.example.test").records()).hasSize(1);
        assertThat(dns.txt("mx.example.test").records()).containsExactly("hello");
        assertThat(server.udpQueries()).isEqualTo(2);
    }

    @Test
    void withoutACacheEveryLookupAsks() {
        DnsjavaResolver uncached = new DnsjavaResolver(DnsSettings.of(server.address(), Duration.ofMillis(300), 0));
        server.addTxt("example.test", "x");

        uncached.txt("example.test");
        uncached.txt("example.test");
        assertThat(server.udpQueries()).isEqualTo(2);
    }
}
