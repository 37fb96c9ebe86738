package dev.tern.policy.spf;

import dev.tern.dns.Addresses;
import dev.tern.dns.DnsResolver;
import dev.tern.dns.DnsResult;
import dev.tern.dns.MxRecord;
import dev.tern.mail.IpNetwork;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * One run of {@code check_host()} (RFC 7208 §4) with its shared budgets: the 10 DNS-querying terms and the 2 void
 * lookups of §4.6.4 count across include and redirect, so one instance serves one check and is then dropped.
 */
final class Evaluation {

    static final int MAX_DNS_TERMS = 10;
    static final int MAX_VOID_LOOKUPS = 2;
    static final int MAX_NAMES_PER_TERM = 10;

    private final DnsResolver dns;
    private final InetAddress ip;
    private final MacroExpander macros;
    private final String defaultExplanation;
    private int dnsTerms;
    private int voidLookups;

    Evaluation(DnsResolver dns, InetAddress ip, String sender, String helo, String receiver, long now,
            String defaultExplanation) {
        this.dns = dns;
        this.ip = ip;
        this.defaultExplanation = defaultExplanation;
        this.macros = new MacroExpander(ip, sender, helo, receiver, now, this::validatedName);
    }

    /** check_host() for one domain; include and redirect call it again with the same budgets. */
    SpfResult checkHost(String domain) {
        try {
            SpfRecord record = fetch(domain);
            if (record == null) {
                return SpfResult.of(SpfOutcome.NONE, domain, "no SPF record");
            }
            return evaluate(record, domain);
        } catch (SpfException e) {
            return SpfResult.of(e.outcome(), domain, e.getMessage());
        }
    }

    /** §4.3 to §4.5: the domain's single SPF record, or null for "none". */
    private SpfRecord fetch(String domain) throws SpfException {
        if (!SpfDomains.isValid(domain)) {
            return null; // §4.3: a malformed or single-label domain gives "none"
        }
        DnsResult<String> txt = dns.txt(domain);
        if (txt instanceof DnsResult.Temporary<String> t) {
            throw SpfException.temp("TXT lookup for " + domain + ": " + t.reason());
        }
        List<String> spf = txt.records().stream().filter(SpfRecord::isSpf).toList();
        if (spf.isEmpty()) {
            return null;
        }
        if (spf.size() > 1) {
            throw SpfException.perm("more than one SPF record at " + domain + " (§4.5)");
        }
        return SpfRecord.parse(spf.get(0));
    }

    /** §4.6: directives left to right, then redirect, then the default "neutral". */
    private SpfResult evaluate(SpfRecord record, String domain) throws SpfException {
        for (SpfRecord.Directive directive : record.directives()) {
            if (directive.mechanism().queriesDns()) {
                countDnsTerm();
            }
            if (matches(directive.mechanism(), domain)) {
                SpfOutcome outcome = directive.onMatch();
                String explanation = outcome == SpfOutcome.FAIL ? explain(record, domain) : "";
                return new SpfResult(outcome, domain, explanation, "matched " + directive.text());
            }
        }
        // §6.1: redirect applies only when no mechanism matched (so never when "all" is present).
        if (record.redirect() != null && !record.hasAll()) {
            countDnsTerm();
            String target = macros.domain(record.redirect(), domain);
            SpfResult result = checkHost(target);
            if (result.outcome() == SpfOutcome.NONE) {
                throw SpfException.perm("redirect to " + target + " which has no SPF record");
            }
            return result;
        }
        return SpfResult.of(SpfOutcome.NEUTRAL, domain, "no mechanism matched");
    }

    private boolean matches(Mechanism mechanism, String domain) throws SpfException {
        return switch (mechanism) {
            case Mechanism.All all -> true;
            case Mechanism.Include include -> include(macros.domain(include.domain(), domain));
            case Mechanism.A a -> addressMatches(target(a.domain(), domain), a.cidr4(), a.cidr6());
            case Mechanism.Mx mx -> mx(target(mx.domain(), domain), mx.cidr4(), mx.cidr6());
            case Mechanism.Ptr ptr -> ptr(target(ptr.domain(), domain));
            case Mechanism.Ip4 ip4 -> ip4.network().contains(ip);
            case Mechanism.Ip6 ip6 -> ip6.network() != null && ip6.network().contains(ip);
            case Mechanism.Exists exists -> exists(macros.domain(exists.domain(), domain));
        };
    }

    private String target(MacroString spec, String domain) {
        return spec == null ? domain : macros.domain(spec, domain);
    }

    /** §5.2: only a pass of the included domain matches; errors and "none" propagate. */
    private boolean include(String target) throws SpfException {
        SpfResult inner = checkHost(target);
        return switch (inner.outcome()) {
            case PASS -> true;
            case FAIL, SOFTFAIL, NEUTRAL -> false;
            case TEMPERROR -> throw SpfException.temp("include:" + target + ": " + inner.detail());
            case PERMERROR -> throw SpfException.perm("include:" + target + ": " + inner.detail());
            case NONE -> throw SpfException.perm("include:" + target + " has no SPF record");
        };
    }

    /** §5.3: A records for an IPv4 client, AAAA for an IPv6 one, compared under the CIDR length. */
    private boolean addressMatches(String target, int cidr4, int cidr6) throws SpfException {
        DnsResult<InetAddress> found = lookup(dns.addresses(target, isIpv6()), target);
        int cidr = isIpv6() ? cidr6 : cidr4;
        return found.records().stream().anyMatch(a -> within(a, cidr));
    }

    /** §5.6: whether the client is in the network of a looked-up address under the mechanism's CIDR length. */
    private boolean within(InetAddress found, int cidr) {
        // A record of the other family (never asked for) or a length beyond it matches nothing.
        return cidr <= found.getAddress().length * 8 && new IpNetwork(found, cidr).contains(ip);
    }

    /** §5.4: the addresses of every MX host, at most 10 hosts (§4.6.4). */
    private boolean mx(String target, int cidr4, int cidr6) throws SpfException {
        DnsResult<MxRecord> found = lookup(dns.mx(target), target);
        List<MxRecord> hosts = found.records();
        if (hosts.size() > MAX_NAMES_PER_TERM) {
            throw SpfException.perm("mx:" + target + " has more than " + MAX_NAMES_PER_TERM + " MX records");
        }
        int cidr = isIpv6() ? cidr6 : cidr4;
        for (MxRecord host : hosts) {
            if (host.isNullMx()) {
                continue;
            }
            DnsResult<InetAddress> addresses = dns.addresses(host.exchange(), isIpv6());
            if (addresses instanceof DnsResult.Temporary<InetAddress> t) {
                throw SpfException.temp("address lookup for MX host " + host.exchange() + ": " + t.reason());
            }
            if (addresses.records().stream().anyMatch(a -> within(a, cidr))) {
                return true;
            }
        }
        return false;
    }

    /** §5.5: a validated reverse name equal to or under the target; DNS errors mean no match. */
    private boolean ptr(String target) throws SpfException {
        DnsResult<String> names = dns.ptr(ip);
        if (names.isVoid()) {
            countVoidLookup(Addresses.reverseName(ip));
        }
        String suffix = "." + target.toLowerCase(Locale.ROOT);
        for (String name : firstNames(names)) {
            String lower = name.toLowerCase(Locale.ROOT);
            if ((lower.equals(target.toLowerCase(Locale.ROOT)) || lower.endsWith(suffix)) && confirms(name)) {
                return true;
            }
        }
        return false;
    }

    /** §5.7: an A lookup (whatever the client's family) that returns anything matches. */
    private boolean exists(String target) throws SpfException {
        return !lookup(dns.a(target), target).records().isEmpty();
    }

    /** Temporary failure stops the check with temperror (§5); NXDOMAIN and NODATA count as void (§4.6.4). */
    private <T> DnsResult<T> lookup(DnsResult<T> result, String name) throws SpfException {
        if (result instanceof DnsResult.Temporary<T> t) {
            throw SpfException.temp("DNS lookup for " + name + ": " + t.reason());
        }
        if (result.isVoid()) {
            countVoidLookup(name);
        }
        return result;
    }

    private void countDnsTerm() throws SpfException {
        if (++dnsTerms > MAX_DNS_TERMS) {
            throw SpfException.perm("more than " + MAX_DNS_TERMS + " DNS-querying terms (§4.6.4)");
        }
    }

    private void countVoidLookup(String name) throws SpfException {
        if (++voidLookups > MAX_VOID_LOOKUPS) {
            throw SpfException.perm("more than " + MAX_VOID_LOOKUPS + " void lookups, last " + name + " (§4.6.4)");
        }
    }

    /** §6.2: the expanded exp= text, or the default explanation on any trouble. */
    private String explain(SpfRecord record, String domain) {
        if (record.explanation() == null) {
            return defaultExplanation;
        }
        String target = macros.domain(record.explanation(), domain);
        if (!SpfDomains.isValid(target)) {
            return defaultExplanation;
        }
        List<String> texts = dns.txt(target).records();
        if (texts.size() != 1) {
            return defaultExplanation;
        }
        try {
            String text = macros.expand(MacroString.explanation(texts.get(0)), domain);
            return text.chars().allMatch(c -> c >= 0x20 && c <= 0x7e) ? text : defaultExplanation;
        } catch (SpfException syntax) {
            return defaultExplanation;
        }
    }

    /** %{p} (§7.3): a validated name of the client, preferring the domain itself, then a subdomain. */
    private String validatedName(String domain) {
        String lowerDomain = domain.toLowerCase(Locale.ROOT);
        String exact = null;
        String sub = null;
        String any = null;
        for (String name : firstNames(dns.ptr(ip))) {
            if (!confirms(name)) {
                continue;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals(lowerDomain)) {
                exact = exact == null ? name : exact;
            } else if (lower.endsWith("." + lowerDomain)) {
                sub = sub == null ? name : sub;
            } else {
                any = any == null ? name : any;
            }
        }
        return exact != null ? exact : sub != null ? sub : any != null ? any : "unknown";
    }

    /** §4.6.4: only the first 10 PTR names are used; the rest are ignored. */
    private static List<String> firstNames(DnsResult<String> names) {
        List<String> all = names.records();
        return all.size() > MAX_NAMES_PER_TERM ? all.subList(0, MAX_NAMES_PER_TERM) : all;
    }

    /** Forward confirmation of a PTR name (§5.5); a DNS error skips the name. */
    private boolean confirms(String name) {
        return dns.addresses(name, isIpv6()).records().stream().anyMatch(ip::equals);
    }

    private boolean isIpv6() {
        return ip instanceof Inet6Address;
    }
}
