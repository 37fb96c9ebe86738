package dev.tern.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The MX walk of RFC 5321 §5.1: which addresses to try, in which order, to deliver mail for a domain.
 *
 * <ul>
 *   <li>MX hosts by ascending preference, in random order among equal preferences (load spreading);</li>
 *   <li>each host's addresses in the configured family order;</li>
 *   <li>no MX records but the name exists: the domain itself is the host, preference 0 (implicit MX);</li>
 *   <li>a single MX with exchange "." is a null MX (RFC 7505 §3): the domain accepts no mail;</li>
 *   <li>any temporary DNS failure that leaves no usable address makes the route temporary.</li>
 * </ul>
 *
 * <p>Removing this host's own name and less preferred hosts (§5.1, "if the SMTP client finds itself") is left to
 * the caller, who knows its own names.
 */
public final class MxResolver {

    private final DnsResolver dns;
    private final AddressPreference preference;
    private final RandomGenerator random;

    public MxResolver(DnsResolver dns, AddressPreference preference, RandomGenerator random) {
        this.dns = dns;
        this.preference = preference;
        this.random = random;
    }

    public MxResolver(DnsResolver dns, AddressPreference preference) {
        this(dns, preference, RandomGenerator.getDefault());
    }

    public Route route(String domain) {
        DnsResult<MxRecord> mx = dns.mx(domain);
        return switch (mx) {
            case DnsResult.Temporary<MxRecord> t -> new Route.Temporary("MX lookup for " + domain + ": " + t.reason());
            case DnsResult.NxDomain<MxRecord> n -> new Route.Permanent("5.1.2", "domain " + domain + " does not exist");
            case DnsResult.NoData<MxRecord> n -> implicitMx(domain);
            case DnsResult.Answer<MxRecord> answer -> explicitMx(domain, answer.records());
        };
    }

    private Route implicitMx(String domain) {
        HostAddresses found = addressesOf(domain);
        if (!found.addresses.isEmpty()) {
            return new Route.Targets(found.addresses.stream().map(a -> new Target(domain, a, 0)).toList());
        }
        if (found.temporary != null) {
            return new Route.Temporary("address lookup for " + domain + ": " + found.temporary);
        }
        return new Route.Permanent("5.1.2", "domain " + domain + " has no MX and no address");
    }

    private Route explicitMx(String domain, List<MxRecord> records) {
        List<MxRecord> hosts = records.stream().filter(r -> !r.isNullMx()).toList();
        if (hosts.isEmpty()) {
            return new Route.Permanent("5.1.10", "domain " + domain + " does not accept mail (null MX)");
        }
        List<Target> targets = new ArrayList<>();
        String temporary = null;
        for (MxRecord host : shuffled(hosts)) {
            HostAddresses found = addressesOf(host.exchange());
            found.addresses.forEach(a -> targets.add(new Target(host.exchange(), a, host.preference())));
            if (found.temporary != null && temporary == null) {
                temporary = host.exchange() + ": " + found.temporary;
            }
        }
        if (!targets.isEmpty()) {
            return new Route.Targets(targets);
        }
        if (temporary != null) {
            return new Route.Temporary("no MX host address for " + domain + " yet: " + temporary);
        }
        return new Route.Permanent("5.4.4", "no MX host of " + domain + " has an address");
    }

    /** By ascending preference; random order within one preference (RFC 5321 §5.1). */
    private List<MxRecord> shuffled(List<MxRecord> hosts) {
        Map<Integer, List<MxRecord>> byPreference = new TreeMap<>();
        for (MxRecord host : hosts) {
            byPreference.computeIfAbsent(host.preference(), p -> new ArrayList<>()).add(host);
        }
        List<MxRecord> ordered = new ArrayList<>();
        for (List<MxRecord> group : byPreference.values()) {
            group.sort(Comparator.comparing(MxRecord::exchange)); // a stable start, so the seed alone decides
            for (int i = group.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                MxRecord swap = group.get(i);
                group.set(i, group.get(j));
                group.set(j, swap);
            }
            ordered.addAll(group);
        }
        return ordered;
    }

    private HostAddresses addressesOf(String host) {
        HostAddresses out = new HostAddresses();
        switch (preference) {
            case IPV4_ONLY -> out.add(dns.a(host));
            case IPV6_ONLY -> out.add(dns.aaaa(host));
            case IPV4_FIRST -> {
                out.add(dns.a(host));
                out.add(dns.aaaa(host));
            }
            case IPV6_FIRST -> {
                out.add(dns.aaaa(host));
                out.add(dns.a(host));
            }
        }
        return out;
    }

    /** The addresses of one host, and the first temporary failure met while collecting them. */
    private static final class HostAddresses {
        private final List<InetAddress> addresses = new ArrayList<>();
        private String temporary;

        void add(DnsResult<InetAddress> result) {
            addresses.addAll(result.records());
            if (result instanceof DnsResult.Temporary<InetAddress> t && temporary == null) {
                temporary = t.reason();
            }
        }
    }
}
