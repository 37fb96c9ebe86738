package dev.tern.metrics;

import dev.tern.config.RateLimitSettings;
import dev.tern.observe.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link Metrics} with meters: every counter is registered here, at start, so an event is one increment of a
 * counter found by enum ordinal, reply class or a look-up in a small immutable map of known words. Only
 * deferrals by destination ({@link Destinations}) may register a meter later, and at most
 * {@code [metrics] max_destinations} of them.
 */
public final class MeterMetrics implements Metrics {

    /** RFC 7208 §2.6, RFC 8601 §2.7.1 and RFC 7489 §11.2 results, as the mail log writes them. */
    private static final Map<Check, List<String>> RESULTS = Map.of(
            Check.SPF, List.of("none", "neutral", "pass", "fail", "softfail", "temperror", "permerror"),
            Check.DKIM, List.of("none", "pass", "fail", "policy", "neutral", "temperror", "permerror"),
            Check.DMARC, List.of("none", "pass", "fail", "temperror", "permerror"));
    /** Each defence's decisions as the mail log writes them; anything else counts as {@code other}. */
    private static final Map<Defence, List<String>> DECISIONS = Map.of(
            Defence.SCREEN, List.of("pass", "cached", "allow", "deny", "early-talker", "dnsbl", "rhsbl"),
            Defence.RATE_LIMIT, Arrays.stream(RateLimitSettings.Limit.values()).map(RateLimitSettings.Limit::key).toList(),
            Defence.GREYLIST, List.of("greylisted", "passed"),
            Defence.MILTER, List.of("accept", "reject", "tempfail", "discard", "discard-ignored", "quarantine", "modify",
                    "default-accept", "default-tempfail", "default-reject", "default-quarantine"));
    private static final List<String> TLS_PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");
    static final String OTHER = "other";
    /** Delivery delays an operator asks about: seconds for local mail, up to the days of a retried one. */
    private static final Duration[] DELAY_BUCKETS = {Duration.ofMillis(100), Duration.ofSeconds(1),
        Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(1),
        Duration.ofHours(6), Duration.ofDays(1), Duration.ofDays(5)};

    private final Map<String, Counter[]> connections = new HashMap<>();
    private final Counter[] replies = new Counter[6];
    private final Counter[] received = new Counter[Reception.values().length];
    private final Counter[] deliveries = new Counter[Delivery.values().length];
    private final Timer delay;
    private final Destinations destinations;
    private final Map<String, Counter> tls = new HashMap<>();
    private final Counter tlsOther;
    private final Counter[] auth = new Counter[2];
    private final Map<Check, Map<String, Counter>> checks = new EnumMap<>(Check.class);
    private final Map<Check, Counter> checkOther = new EnumMap<>(Check.class);
    private final Map<Defence, Map<String, Counter>> defences = new EnumMap<>(Defence.class);
    private final OutboundTlsMeters outboundTls;

    /**
     * @param listeners       the names of the SMTP listeners, each with its own connection counters
     * @param maxDestinations how many destination domains get their own deferral counter
     */
    public MeterMetrics(MeterRegistry registry, List<String> listeners, int maxDestinations) {
        for (String listener : listeners) {
            Counter[] byResult = new Counter[Connection.values().length];
            for (Connection c : Connection.values()) {
                byResult[c.ordinal()] = Counter.builder("tern.connections").description("SMTP connections at accept")
                        .tag("listener", listener).tag("result", word(c)).register(registry);
            }
            connections.put(listener, byResult);
        }
        for (int i = 0; i < replies.length; i++) {
            replies[i] = Counter.builder("tern.smtp.replies").description("SMTP replies sent, by class")
                    .tag("class", i == 0 ? OTHER : i + "xx").register(registry);
        }
        for (Reception r : Reception.values()) {
            received[r.ordinal()] = Counter.builder("tern.messages.received")
                    .description("Messages at the end of DATA/BDAT: accepted (250), deferred (4xx), rejected (5xx)")
                    .tag("result", word(r)).register(registry);
        }
        for (Delivery d : Delivery.values()) {
            deliveries[d.ordinal()] = Counter.builder("tern.deliveries")
                    .description("Recipient outcomes of delivery attempts").tag("result", word(d)).register(registry);
        }
        delay = Timer.builder("tern.delivery.delay").description("From arrival to delivery, per recipient")
                .serviceLevelObjectives(DELAY_BUCKETS).register(registry);
        destinations = new Destinations(registry, maxDestinations);
        for (String protocol : TLS_PROTOCOLS) {
            tls.put(protocol, tlsCounter(registry, protocol));
        }
        tlsOther = tlsCounter(registry, OTHER);
        outboundTls = new OutboundTlsMeters(registry);
        auth[0] = authCounter(registry, "failure");
        auth[1] = authCounter(registry, "success");
        RESULTS.forEach((check, results) -> {
            Map<String, Counter> byResult = new HashMap<>();
            for (String result : results) {
                byResult.put(result, checkCounter(registry, check, result));
            }
            checks.put(check, Map.copyOf(byResult));
            checkOther.put(check, checkCounter(registry, check, OTHER));
        });
        DECISIONS.forEach((defence, results) -> {
            Map<String, Counter> byResult = new HashMap<>();
            for (String result : results) {
                byResult.put(result, defenceCounter(registry, defence, result));
            }
            byResult.put(OTHER, defenceCounter(registry, defence, OTHER));
            defences.put(defence, Map.copyOf(byResult));
        });
    }

    private static Counter tlsCounter(MeterRegistry registry, String protocol) {
        return Counter.builder("tern.tls.handshakes").description("TLS handshakes with clients, by protocol version")
                .tag("protocol", protocol).register(registry);
    }

    private static Counter authCounter(MeterRegistry registry, String result) {
        return Counter.builder("tern.auth").description("SMTP AUTH exchanges").tag("result", result)
                .register(registry);
    }

    private static Counter checkCounter(MeterRegistry registry, Check check, String result) {
        return Counter.builder("tern.mailauth.results").description("SPF, DKIM and DMARC results of received mail")
                .tag("check", word(check)).tag("result", result).register(registry);
    }

    private static Counter defenceCounter(MeterRegistry registry, Defence defence, String result) {
        return Counter.builder("tern.defences").description("Decisions of the screen, rate limits, greylisting and milters")
                .tag("defence", word(defence).replace('_', '-')).tag("result", result).register(registry);
    }

    static String word(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void connection(String listener, Connection result) {
        Counter[] byResult = connections.get(listener);
        if (byResult != null) {
            byResult[result.ordinal()].increment();
        }
    }

    @Override
    public void reply(int code) {
        int cls = code / 100;
        replies[cls >= 1 && cls <= 5 ? cls : 0].increment();
    }

    @Override
    public void received(Reception result) {
        received[result.ordinal()].increment();
    }

    @Override
    public void delivery(Delivery result, String domain, Duration since) {
        deliveries[result.ordinal()].increment();
        if (result == Delivery.DELIVERED && since != null) {
            delay.record(since);
        } else if (result == Delivery.DEFERRED) {
            destinations.deferred(domain);
        }
    }

    @Override
    public void tls(String protocol) {
        tls.getOrDefault(protocol, tlsOther).increment();
    }

    @Override
    public void outboundTls(String policy, String result) {
        outboundTls.count(policy, result);
    }

    @Override
    public void auth(boolean success) {
        auth[success ? 1 : 0].increment();
    }

    @Override
    public void defence(Defence defence, String result) {
        Map<String, Counter> byResult = defences.get(defence);
        byResult.getOrDefault(result, byResult.get(OTHER)).increment();
    }

    @Override
    public void check(Check check, String result) {
        Counter counter = checks.get(check).get(result);
        (counter == null ? checkOther.get(check) : counter).increment();
    }
}
