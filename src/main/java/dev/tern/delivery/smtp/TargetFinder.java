package dev.tern.delivery.smtp;

import dev.tern.dns.AddressPreference;
import dev.tern.dns.Addresses;
import dev.tern.dns.DnsResolver;
import dev.tern.dns.DnsResult;
import dev.tern.dns.MxResolver;
import dev.tern.dns.Route;
import dev.tern.dns.Target;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The addresses to try for a destination: the MX walk for a mail domain (RFC 5321 §5.1), the A/AAAA records
 * of a relay host or a route's host, or the address itself for an IP literal.
 */
final class TargetFinder {

    private final DnsResolver dns;
    private final MxResolver mx;
    private final AddressPreference preference;
    private final String hostname;

    TargetFinder(DnsResolver dns, AddressPreference preference, String hostname) {
        this.dns = dns;
        this.mx = new MxResolver(dns, preference);
        this.preference = preference;
        this.hostname = hostname.toLowerCase(Locale.ROOT);
    }

    Route find(Destination d) {
        if (d.viaMx()) {
            Optional<InetAddress> literal = addressLiteral(d.name());
            if (literal.isPresent()) {
                return new Route.Targets(List.of(new Target(d.name(), literal.get(), 0)));
            }
            return withoutSelf(d.name(), mx.route(d.name()));
        }
        return host(d.name());
    }

    /** A domain written as {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]} (RFC 5321 §4.1.3). */
    static Optional<InetAddress> addressLiteral(String domain) {
        if (!domain.startsWith("[") || !domain.endsWith("]")) {
            return Optional.empty();
        }
        String inner = domain.substring(1, domain.length() - 1);
        if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
            return Addresses.parseIpv6(inner.substring(5));
        }
        return Addresses.parseIpv4(inner);
    }

    /**
     * RFC 5321 §5.1: if this host is one of the MX hosts, only the more preferred ones may be tried; if none
     * is, the mail would loop (RFC 3463 X.4.6: routing loop detected).
     */
    private Route withoutSelf(String domain, Route route) {
        if (!(route instanceof Route.Targets targets)) {
            return route;
        }
        int self = targets.targets().stream().filter(t -> isSelf(t.host())).mapToInt(Target::preference)
                .min().orElse(Integer.MAX_VALUE);
        List<Target> kept = targets.targets().stream().filter(t -> t.preference() < self).toList();
        if (kept.isEmpty()) {
            return new Route.Permanent("5.4.6", "mail for " + domain + " loops back to myself (" + hostname
                    + " is its best MX host)");
        }
        return new Route.Targets(kept);
    }

    private boolean isSelf(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals(hostname) || h.equals(hostname + ".");
    }

    /** A relay host or a route's host: its addresses, never its MX records. */
    private Route host(String host) {
        Optional<InetAddress> literal = Addresses.parse(host);
        if (literal.isPresent()) {
            return new Route.Targets(List.of(new Target(host, literal.get(), 0)));
        }
        List<Target> targets = new ArrayList<>();
        String temporary = null;
        for (boolean ipv6 : families()) {
            DnsResult<InetAddress> result = dns.addresses(host, ipv6);
            result.records().forEach(a -> targets.add(new Target(host, a, 0)));
            if (result instanceof DnsResult.Temporary<InetAddress> t && temporary == null) {
                temporary = t.reason();
            }
        }
        if (!targets.isEmpty()) {
            return new Route.Targets(targets);
        }
        // A configured next hop without an address is the operator's mistake, not the recipient's: try later.
        return new Route.Temporary(temporary != null ? "address lookup for " + host + ": " + temporary
                : "the configured host " + host + " has no address");
    }

    private List<Boolean> families() {
        return switch (preference) {
            case IPV4_ONLY -> List.of(false);
            case IPV6_ONLY -> List.of(true);
            case IPV4_FIRST -> List.of(false, true);
            case IPV6_FIRST -> List.of(true, false);
        };
    }
}
