package dev.tern.metrics;

import dev.tern.dns.DnsResolver;
import dev.tern.dns.DnsResult;
import dev.tern.dns.MxRecord;
import dev.tern.dns.TlsaRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The one DNS gateway with meters around it: lookups by record type and outcome, and their latency (answers
 * from the resolver's cache included, so the histogram shows what a session waits for). A decorator, so the
 * {@code dns} package itself knows nothing of metrics.
 */
public final class MeteredResolver implements DnsResolver {

    /** Outcomes as {@link DnsResult} keeps them apart. */
    enum Outcome { ANSWER, NXDOMAIN, NODATA, TEMPORARY }

    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(20),
        Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(5)};

    private final DnsResolver inner;
    private final Type mx;
    private final Type a;
    private final Type aaaa;
    private final Type txt;
    private final Type tlsa;
    private final Type ptr;

    public MeteredResolver(DnsResolver inner, MeterRegistry registry) {
        this.inner = inner;
        this.mx = new Type(registry, "MX");
        this.a = new Type(registry, "A");
        this.aaaa = new Type(registry, "AAAA");
        this.txt = new Type(registry, "TXT");
        this.tlsa = new Type(registry, "TLSA");
        this.ptr = new Type(registry, "PTR");
    }

    @Override
    public DnsResult<MxRecord> mx(String name) {
        return mx.time(() -> inner.mx(name));
    }

    @Override
    public DnsResult<InetAddress> a(String name) {
        return a.time(() -> inner.a(name));
    }

    @Override
    public DnsResult<InetAddress> aaaa(String name) {
        return aaaa.time(() -> inner.aaaa(name));
    }

    @Override
    public DnsResult<String> txt(String name) {
        return txt.time(() -> inner.txt(name));
    }

    @Override
    public DnsResult<TlsaRecord> tlsa(String name) {
        return tlsa.time(() -> inner.tlsa(name));
    }

    @Override
    public DnsResult<String> ptr(String name) {
        return ptr.time(() -> inner.ptr(name));
    }

    /** The meters of one record type, registered up front. */
    private static final class Type {
        private final Timer latency;
        private final Counter[] outcomes = new Counter[Outcome.values().length];

        Type(MeterRegistry registry, String type) {
            latency = Timer.builder("tern.dns.lookup.duration").description("DNS lookups, cache hits included")
                    .tag("type", type).serviceLevelObjectives(BUCKETS).register(registry);
            for (Outcome o : Outcome.values()) {
                outcomes[o.ordinal()] = Counter.builder("tern.dns.lookups").description("DNS lookups by outcome")
                        .tag("type", type).tag("result", MeterMetrics.word(o)).register(registry);
            }
        }

        <T> DnsResult<T> time(Supplier<DnsResult<T>> lookup) {
            long start = System.nanoTime();
            DnsResult<T> result = lookup.get();
            latency.record(Duration.ofNanos(System.nanoTime() - start));
            Outcome outcome = switch (result) {
                case DnsResult.Answer<T> ignored -> Outcome.ANSWER;
                case DnsResult.NxDomain<T> ignored -> Outcome.NXDOMAIN;
                case DnsResult.NoData<T> ignored -> Outcome.NODATA;
                case DnsResult.Temporary<T> ignored -> Outcome.TEMPORARY;
            };
            outcomes[outcome.ordinal()].increment();
            return result;
        }
    }
}
