package dev.tern.dane;

import dev.tern.config.DaneSettings;
import dev.tern.config.DnsSettings;
import dev.tern.dns.DnsResolver;
import dev.tern.dns.DnsResult;
import dev.tern.dns.MxRecord;
import dev.tern.dns.TlsaRecord;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DANE for one MX host, from DNS through a DNSSEC-validating resolver (RFC 7672 §2.2). The resolver's AD bit
 * is the only evidence of validation, so this is only as safe as the path to that resolver: {@link #create}
 * turns it on by default only when every configured server is on loopback ({@link DaneSettings}).
 *
 * <p>In order, each step deciding before the next is asked (RFC 7672 §2.2.1, §2.2.2):
 * <ol>
 *   <li>the MX RRset of the domain must be authenticated, if the host came from it; with no MX records (the
 *       implicit MX of RFC 5321 §5.1), or for a host the MX RRset does not name (a configured route), the
 *       host's own address records decide;</li>
 *   <li>the host's A and AAAA records must be authenticated;</li>
 *   <li>its {@code _port._tcp} TLSA RRset must be authenticated, and then decides {@code Usable} or
 *       {@code Unusable}.</li>
 * </ol>
 * An unsigned answer anywhere, or no TLSA records, is {@code NotApplicable}. A lookup that fails (SERVFAIL, which
 * is also what a validating resolver answers for bogus data, or a timeout) where everything before it was
 * authenticated is {@code Failed}: the host must not be used, with TLS or without (RFC 7672 §2.2.1), since an
 * attacker could otherwise strip DANE by dropping one answer.
 *
 * <p>CNAMEs: the resolver follows them and reports the chain authenticated only if every response of it was,
 * but it does not say which name the chain ended at. So TLSA records are looked up at the MX host name only,
 * never first at its CNAME-expanded name as RFC 7672 §2.2.2 prefers, and the reference names are the MX host
 * name alone; a host publishing its TLSA records only under the alias target is treated as publishing none.
 *
 * <p>No cache here: the resolver keeps answers for their TTLs.
 */
public final class DnsDane implements Dane {

    private static final Logger LOG = LoggerFactory.getLogger(DnsDane.class);

    /** The TLS-RPT result type (RFC 8460 §4.3.2) of an answer the resolver would not give or could not validate. */
    static final String DNSSEC_INVALID = "dnssec-invalid";

    private final DnsResolver dns;

    public DnsDane(DnsResolver dns) {
        this.dns = dns;
    }

    /**
     * The {@link Dane} that {@code [dane]} asks for: this one when DANE is on, {@link Dane#NONE} when it is off
     * (RFC 7672 §8.2 leaves nothing to look up without a trusted validating resolver).
     */
    public static Dane create(DaneSettings settings, DnsSettings dnsSettings, DnsResolver dns) {
        boolean on = settings.activeWith(dnsSettings);
        LOG.info("dane={} reason=\"{}\"", on ? "on" : "off", settings.reason(dnsSettings));
        return on ? new DnsDane(dns) : Dane.NONE;
    }

    @Override
    public TlsaLookup lookup(String domain, String mxHost, int port) {
        String host = bare(mxHost);
        String tlsaName = "_" + port + "._tcp." + host;
        try {
            TlsaLookup early = mxAndAddresses(bare(domain), host, tlsaName);
            return early != null ? early : tlsa(host, tlsaName);
        } catch (RuntimeException e) {
            // The interface promises no exception; a host whose status is unknown is not used (the safe side).
            LOG.warn("DANE lookup for {} failed unexpectedly", tlsaName, e);
            return new TlsaLookup.Failed(tlsaName, DNSSEC_INVALID, "unexpected error: " + e.getClass().getSimpleName());
        }
    }

    /** Steps 1 and 2: null when both are authenticated and the TLSA records decide. */
    private TlsaLookup mxAndAddresses(String domain, String host, String tlsaName) {
        DnsResult<MxRecord> mx = dns.mx(domain);
        switch (mx) {
            case DnsResult.Temporary<MxRecord> t -> {
                return new TlsaLookup.Failed(tlsaName, DNSSEC_INVALID, "MX lookup for " + domain + ": " + t.reason());
            }
            case DnsResult.NxDomain<MxRecord> n -> {
                return new TlsaLookup.NotApplicable("domain " + domain + " does not exist");
            }
            case DnsResult.NoData<MxRecord> n -> {
                // Implicit MX: the domain's own address records stand for the MX RRset (RFC 7672 §2.2.1).
            }
            case DnsResult.Answer<MxRecord> answer -> {
                boolean named = answer.records().stream().anyMatch(r -> bare(r.exchange()).equals(host));
                if (named && !answer.authenticated()) {
                    return new TlsaLookup.NotApplicable("MX records of " + domain + " are not DNSSEC-authenticated");
                }
            }
        }
        return addresses(host, tlsaName);
    }

    /**
     * Step 2. An unsigned answer for either family shows the host's zone insecure, whatever the other family
     * did (a validating resolver answers bogus data with SERVFAIL, never with unsigned records).
     */
    private TlsaLookup addresses(String host, String tlsaName) {
        List<DnsResult<InetAddress>> results = List.of(dns.a(host), dns.aaaa(host));
        boolean found = false;
        for (DnsResult<InetAddress> result : results) {
            if (result instanceof DnsResult.Answer<InetAddress> answer) {
                if (!answer.authenticated()) {
                    return new TlsaLookup.NotApplicable("addresses of " + host + " are not DNSSEC-authenticated");
                }
                found = true;
            }
        }
        for (DnsResult<InetAddress> result : results) {
            if (result instanceof DnsResult.Temporary<InetAddress> t) {
                return new TlsaLookup.Failed(tlsaName, DNSSEC_INVALID, "address lookup for " + host + ": " + t.reason());
            }
        }
        return found ? null : new TlsaLookup.NotApplicable("host " + host + " has no address");
    }

    /** Step 3 (RFC 7672 §2.2.2, §3.1). */
    private TlsaLookup tlsa(String host, String tlsaName) {
        DnsResult<TlsaRecord> result = dns.tlsa(tlsaName);
        return switch (result) {
            case DnsResult.Temporary<TlsaRecord> t ->
                    new TlsaLookup.Failed(tlsaName, DNSSEC_INVALID, "TLSA lookup: " + t.reason());
            case DnsResult.NxDomain<TlsaRecord> n -> new TlsaLookup.NotApplicable("no TLSA records at " + tlsaName);
            case DnsResult.NoData<TlsaRecord> n -> new TlsaLookup.NotApplicable("no TLSA records at " + tlsaName);
            case DnsResult.Answer<TlsaRecord> answer -> {
                if (!answer.authenticated()) {
                    yield new TlsaLookup.NotApplicable("TLSA records at " + tlsaName + " are not DNSSEC-authenticated");
                }
                List<TlsaRecord> usable = TlsaUsability.usable(answer.records());
                yield usable.isEmpty()
                        ? new TlsaLookup.Unusable(tlsaName, "no usable record among " + answer.records().size())
                        : new TlsaLookup.Usable(usable, List.of(host), tlsaName);
            }
        };
    }

    /** A-label names compare in lower case, without the trailing dot. */
    static String bare(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
