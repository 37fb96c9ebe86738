package dev.tern.metrics;

import dev.tern.dns.DnsResolver;
import dev.tern.dns.DnsResult;
import dev.tern.dns.MxRecord;
import dev.tern.dns.TlsaRecord;
import java.net.InetAddress;
import java.util.List;

/** A resolver whose answers the test picks by name: {@code nx.*} NXDOMAIN, {@code slow.*} temporary, else one. */
final class FakeResolver implements DnsResolver {

    private static <T> DnsResult<T> answer(String name, T record) {
        if (name.startsWith("nx.")) {
            return new DnsResult.NxDomain<>();
        }
        if (name.startsWith("slow.")) {
            return new DnsResult.Temporary<>("timed out");
        }
        if (name.startsWith("empty.")) {
            return new DnsResult.NoData<>();
        }
        return new DnsResult.Answer<>(List.of(record), false);
    }

    @Override
    public DnsResult<MxRecord> mx(String name) {
        return new DnsResult.NoData<>();
    }

    @Override
    public DnsResult<InetAddress> a(String name) {
        return answer(name, InetAddress.getLoopbackAddress());
    }

    @Override
    public DnsResult<InetAddress> aaaa(String name) {
        return new DnsResult.NoData<>();
    }

    @Override
    public DnsResult<String> txt(String name) {
        return answer(name, "v=spf1 -all");
    }

    @Override
    public DnsResult<TlsaRecord> tlsa(String name) {
        return new DnsResult.NoData<>();
    }

    @Override
    public DnsResult<String> ptr(String name) {
        return answer(name, "host.example");
    }
}
