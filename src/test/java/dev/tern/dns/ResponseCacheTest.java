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
        dns = resolver(new ResponseCache(ResponseCache.DEFAULT_MAX_BYTES, now::get));
    }

    private DnsjavaResolver resolver(ResponseCache cache) {
        return new DnsjavaResolver(ResolverSettings.of(server.address(), Duration.ofMillis(300), 0), cache);
    }

    /** A TXT record of 16 character-strings of 250 octets: 4016 octets of data, as a long SPF or DKIM key. */
    private void addLargeTxt(String name) {
        String[] strings = new String[16];
        java.util.Arrays.fill(strings, "x".repeat(250));
        server.addTxt(name, strings);
    }

    private int queries() {
        return server.udpQueries() + server.tcpQueries();
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
        DnsjavaResolver uncached = new DnsjavaResolver(ResolverSettings.of(server.address(), Duration.ofMillis(300), 0));
        server.addTxt("example.test", "x");

        uncached.txt("example.test");
        uncached.txt("example.test");
        assertThat(server.udpQueries()).isEqualTo(2);
    }

    @Test
    void largeAnswersAreBoundedByBytesAndTheLeastRecentlyUsedGoFirst() {
        long max = 64 * 1024;
        ResponseCache cache = new ResponseCache(max, now::get);
        DnsjavaResolver cached = resolver(cache);
        for (int i = 0; i < 40; i++) {
            addLargeTxt("big" + i + ".test");
        }
        for (int i = 0; i < 40; i++) {
            assertThat(cached.txt("big" + i + ".test").records()).hasSize(1);
            assertThat(cached.txt("big0.test").records()).as("big0 is used all along").hasSize(1);
            assertThat(cache.bytes()).as("after " + (i + 1) + " answers").isLessThanOrEqualTo(max);
        }
        // 40 answers of over 4 KB each: well over 64 KiB, so only the most recently used fit.
        assertThat(cache.size()).isBetween(10, 16);
        int before = queries();
        cached.txt("big39.test");
        cached.txt("big0.test");
        assertThat(queries()).as("the recent and the much used are kept").isEqualTo(before);
        cached.txt("big1.test");
        assertThat(queries()).as("the least recently used was dropped (asked again: UDP, then TCP)").isGreaterThan(before);
        assertThat(cache.bytes()).isLessThanOrEqualTo(max);
    }

    @Test
    void theEstimateIsNoSmallerThanTheAnswerOnTheWire() {
        addLargeTxt("big.test");
        server.add("mx.example.test", "A", "192.0.2.1");
        ResponseCache cache = new ResponseCache(ResponseCache.DEFAULT_MAX_BYTES, now::get);
        DnsjavaResolver cached = resolver(cache);
        cached.txt("big.test");
        long large = cache.bytes();
        assertThat(large).isGreaterThan(4016);
        cached.a("mx.example.test");
        assertThat(cache.bytes() - large).as("a small answer costs little").isBetween(1L, 1024L);
    }

    @Test
    void anAnswerBiggerThanTheWholeCacheIsNotKeptAndDropsNothing() {
        ResponseCache cache = new ResponseCache(2048, now::get);
        DnsjavaResolver cached = resolver(cache);
        server.addTxt("small.test", "v=spf1 -all");
        addLargeTxt("big.test");
        cached.txt("small.test");
        cached.txt("big.test");
        cached.txt("big.test");
        assertThat(cache.size()).isEqualTo(1);
        int before = queries();
        cached.txt("small.test");
        assertThat(queries()).isEqualTo(before);
    }

    @Test
    void aCacheOfNoBytesKeepsNothing() {
        DnsjavaResolver none = resolver(new ResponseCache(0, now::get));
        server.addTxt("example.test", "x");
        none.txt("example.test");
        none.txt("example.test");
        assertThat(server.udpQueries()).isEqualTo(2);
    }

    /** RFC 2308 §5: NXDOMAIN and NODATA live for the smaller of the SOA's TTL and its MINIMUM. */
    @Test
    void negativeAnswersAreKeptForTheNegativeTtlOfTheSoa() {
        server.negativeAnswersWithSoa(600, 60).add("exists.test", "A", "192.0.2.1");

        assertThat(dns.txt("missing.test")).isInstanceOf(DnsResult.NxDomain.class);
        assertThat(dns.txt("exists.test")).isInstanceOf(DnsResult.NoData.class);
        assertThat(dns.txt("missing.test")).isInstanceOf(DnsResult.NxDomain.class);
        assertThat(dns.txt("exists.test")).isInstanceOf(DnsResult.NoData.class);
        assertThat(server.udpQueries()).isEqualTo(2);

        now.addAndGet(Duration.ofSeconds(59).toNanos());
        dns.txt("missing.test");
        assertThat(server.udpQueries()).isEqualTo(2);
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(dns.txt("missing.test")).isInstanceOf(DnsResult.NxDomain.class);
        assertThat(dns.txt("exists.test")).isInstanceOf(DnsResult.NoData.class);
        assertThat(server.udpQueries()).isEqualTo(4);
    }

    /** Without a SOA there is no negative TTL (RFC 2308 §5), so the answer is not kept. */
    @Test
    void negativeAnswersWithoutASoaAreAskedAgain() {
        dns.txt("missing.test");
        dns.txt("missing.test");
        assertThat(server.udpQueries()).isEqualTo(2);
    }

    /** A CNAME to a name that does not exist: the alias and the negative answer at its end both come from the cache. */
    @Test
    void aChainEndingInNxdomainIsAnsweredFromTheCache() {
        server.negativeAnswersWithSoa(600, 60).add("alias.test", "CNAME", "gone.test.");

        assertThat(dns.a("alias.test")).isInstanceOf(DnsResult.NxDomain.class);
        int asked = server.udpQueries();
        assertThat(dns.a("alias.test")).isInstanceOf(DnsResult.NxDomain.class);
        assertThat(server.udpQueries()).isEqualTo(asked);
    }
}
