package dev.tern.testdns;

import dev.tern.dns.DnsResolver;
import dev.tern.dns.DnsResult;
import dev.tern.dns.MxRecord;
import dev.tern.dns.TlsaRecord;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An in-memory {@link DnsResolver} for unit tests that need no sockets. Unknown names are NXDOMAIN, known names
 * without the type are NODATA, and {@link #fail} names are temporary failures. For wire-level behaviour (TCP
 * fallback, timeouts, CNAMEs) use {@link TestDnsServer} with the real resolver.
 */
public final class FakeDnsResolver implements DnsResolver {

    private final Map<String, Map<String, List<Object>>> zone = new HashMap<>();
    private final Set<String> failing = new HashSet<>();

    public FakeDnsResolver add(String name, String type, Object value) {
        zone.computeIfAbsent(key(name), n -> new HashMap<>()).computeIfAbsent(type, t -> new ArrayList<>()).add(value);
        return this;
    }

    public FakeDnsResolver fail(String name) {
        failing.add(key(name));
        return this;
    }

    /** Forgets the name's records and failure: it is NXDOMAIN again (a record withdrawn or replaced). */
    public FakeDnsResolver remove(String name) {
        zone.remove(key(name));
        failing.remove(key(name));
        return this;
    }

    @Override
    public DnsResult<MxRecord> mx(String name) {
        return find(name, "MX", MxRecord.class);
    }

    @Override
    public DnsResult<InetAddress> a(String name) {
        return find(name, "A", InetAddress.class);
    }

    @Override
    public DnsResult<InetAddress> aaaa(String name) {
        return find(name, "AAAA", InetAddress.class);
    }

    @Override
    public DnsResult<String> txt(String name) {
        return find(name, "TXT", String.class);
    }

    @Override
    public DnsResult<TlsaRecord> tlsa(String name) {
        return find(name, "TLSA", TlsaRecord.class);
    }

    @Override
    public DnsResult<String> ptr(String name) {
        return find(name, "PTR", String.class);
    }

    private <T> DnsResult<T> find(String name, String type, Class<T> kind) {
        String key = key(name);
        if (failing.contains(key)) {
            return new DnsResult.Temporary<>("fake failure for " + key);
        }
        Map<String, List<Object>> byType = zone.get(key);
        if (byType == null) {
            return new DnsResult.NxDomain<>();
        }
        List<Object> values = byType.getOrDefault(type, List.of());
        return values.isEmpty() ? new DnsResult.NoData<>()
                : new DnsResult.Answer<>(values.stream().map(kind::cast).toList(), false);
    }

    private static String key(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
