package dev.tern.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Deferrals by destination domain, with a bound on the series: the first {@code max} domains that see a deferral
 * get a counter each, every later one counts as {@code other}. Senders choose the recipient domains of mail they
 * relay through our users, so an unbounded label would let them grow the scrape (and Prometheus) without end;
 * the domains that defer most are nearly always among the first to defer, and the mail log names the rest.
 */
final class Destinations {

    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final int max;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final Counter other;

    Destinations(MeterRegistry registry, int max) {
        this.registry = registry;
        this.max = max;
        this.other = counter(OTHER);
    }

    private Counter counter(String destination) {
        return Counter.builder("tern.deferrals.destination")
                .description("Deferred recipients by destination domain (the first max_destinations domains)")
                .tag("destination", destination).register(registry);
    }

    void deferred(String domain) {
        if (domain == null) {
            other.increment();
            return;
        }
        String key = domain.toLowerCase(Locale.ROOT);
        Counter counter = counters.get(key);
        if (counter == null) {
            // Over the bound by a few at most when several threads add at once; never without bound.
            counter = counters.size() >= max || key.equals(OTHER) ? other : counters.computeIfAbsent(key, this::counter);
        }
        counter.increment();
    }
}
