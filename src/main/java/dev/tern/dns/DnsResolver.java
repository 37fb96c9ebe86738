package dev.tern.dns;

import java.net.InetAddress;

/**
 * Lookups by record type. Names are domain names in ASCII (A-label) form, with or without the trailing dot.
 * Implementations never throw for DNS trouble: every outcome is a {@link DnsResult}.
 */
public interface DnsResolver {

    DnsResult<MxRecord> mx(String name);

    DnsResult<InetAddress> a(String name);

    DnsResult<InetAddress> aaaa(String name);

    /** TXT records, each one's character-strings joined with nothing between them (RFC 7208 §3.3). */
    DnsResult<String> txt(String name);

    DnsResult<TlsaRecord> tlsa(String name);

    /** PTR records of a name (host names without the trailing dot). */
    DnsResult<String> ptr(String name);

    /** PTR records of an address, under in-addr.arpa or ip6.arpa. */
    default DnsResult<String> ptr(InetAddress address) {
        return ptr(Addresses.reverseName(address));
    }

    /** The A records for an IPv4 address family, AAAA otherwise. */
    default DnsResult<InetAddress> addresses(String name, boolean ipv6) {
        return ipv6 ? aaaa(name) : a(name);
    }
}
