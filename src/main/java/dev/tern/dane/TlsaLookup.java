package dev.tern.dane;

import dev.tern.dns.TlsaRecord;
import java.util.List;

/** What {@link Dane#lookup} found for one MX host (RFC 7672 §2.2). */
public sealed interface TlsaLookup {

    /**
     * Authenticated TLSA records with at least one usable record: TLS is mandatory and the server's certificate
     * must match one of {@code usable} (RFC 7672 §2.2, §3.1).
     *
     * @param usable         the usable records: DANE-TA(2) and DANE-EE(3) with known selectors and matching types
     * @param referenceNames the names a DANE-TA(2) certificate must carry (RFC 7672 §3.2.2): the MX host name,
     *                       and the names CNAME expansion gave, in A-label form without the trailing dot
     *                       ({@link DnsDane} gives the MX host name alone: the resolver does not say where a
     *                       CNAME chain ended)
     * @param tlsaName       the owner name queried, e.g. {@code _25._tcp.mx.example.org}, for the log and TLS-RPT
     */
    record Usable(List<TlsaRecord> usable, List<String> referenceNames, String tlsaName) implements TlsaLookup {
        public Usable {
            usable = List.copyOf(usable);
            referenceNames = List.copyOf(referenceNames);
            if (usable.isEmpty()) {
                throw new IllegalArgumentException("no usable TLSA record; use Unusable");
            }
        }
    }

    /**
     * An authenticated TLSA RRset in which no record is usable: TLS is still mandatory, but the certificate is
     * not authenticated (RFC 7672 §2.2).
     */
    record Unusable(String tlsaName, String detail) implements TlsaLookup {}

    /**
     * DANE does not apply to this host: the MX RRset, the host's addresses or its TLSA records are not
     * DNSSEC-authenticated, or the host publishes no TLSA records (RFC 7672 §2.2.1-§2.2.2). The courier goes on
     * with MTA-STS or the configured policy.
     */
    record NotApplicable(String detail) implements TlsaLookup {}

    /**
     * The TLSA lookup failed in a signed zone (SERVFAIL, timeout, a bogus answer): this host must not be used
     * now, neither with nor without TLS (RFC 7672 §2.2.1); the delivery is deferred if no other host is usable.
     *
     * @param resultType the TLS-RPT result type (RFC 8460 §4.3.2): {@code tlsa-invalid} or {@code dnssec-invalid}
     */
    record Failed(String tlsaName, String resultType, String detail) implements TlsaLookup {}
}
