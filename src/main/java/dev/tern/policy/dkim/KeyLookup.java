package dev.tern.policy.dkim;

import dev.tern.dns.DnsResolver;
import dev.tern.dns.DnsResult;

/**
 * Fetches the TXT records of a key name ({@code <selector>._domainkey.<domain>}, RFC 6376 §3.6.2), each record's
 * strings joined. A seam so tests can serve keys from files; production uses DNS.
 */
@FunctionalInterface
public interface KeyLookup {

    DnsResult<String> txt(String name);

    static KeyLookup dns(DnsResolver resolver) {
        return resolver::txt;
    }
}
