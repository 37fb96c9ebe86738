package dev.tern.policy.dmarc;

import dev.tern.dns.DnsResolver;
import dev.tern.dns.DnsResult;
import java.util.List;

/**
 * Policy discovery (RFC 7489 §6.6.3): the TXT records at {@code _dmarc.<From domain>}, and when that holds no
 * DMARC record, at {@code _dmarc.<Organizational Domain>}. TXT records not starting with {@code v=DMARC1} are
 * discarded; several DMARC records at one name, or one without a usable policy, end discovery with no policy.
 * A temporary DNS failure is kept apart, so that DMARC can report {@code temperror}.
 */
public final class PolicyDiscovery {

    /** What discovery found. */
    public sealed interface Lookup {
    }

    /**
     * @param policyDomain   the domain whose {@code _dmarc} record was used
     * @param organizational whether the record came from the Organizational Domain of a different From domain,
     *                       so that {@code sp} rather than {@code p} applies
     */
    public record Found(DmarcRecord record, String policyDomain, boolean organizational) implements Lookup {}

    /** No policy applies; {@code reason} says why. */
    public record NoPolicy(String reason) implements Lookup {}

    public record TempError(String reason) implements Lookup {}

    private final DnsResolver dns;
    private final PublicSuffixList suffixes;

    public PolicyDiscovery(DnsResolver dns, PublicSuffixList suffixes) {
        this.dns = dns;
        this.suffixes = suffixes;
    }

    /** @param fromDomain the RFC5322.From domain, as lower-case A-labels */
    public Lookup discover(String fromDomain) {
        String from = PublicSuffixList.normalize(fromDomain);
        Lookup first = at(from, false);
        if (first != null) {
            return first;
        }
        String organizational = suffixes.organizationalDomain(from);
        Lookup second = organizational.equals(from) ? null : at(organizational, true);
        if (second != null) {
            return second;
        }
        return new NoPolicy("no DMARC record at _dmarc." + from
                + (organizational.equals(from) ? "" : " nor at _dmarc." + organizational));
    }

    /** The outcome at one name, or null when it holds no DMARC record (so that discovery goes on). */
    private Lookup at(String domain, boolean organizational) {
        String name = "_dmarc." + domain;
        DnsResult<String> answer = dns.txt(name);
        if (answer instanceof DnsResult.Temporary<String> temporary) {
            return new TempError(temporary.reason());
        }
        List<String> records = answer.records().stream().filter(DmarcRecord::isDmarc).toList();
        if (records.isEmpty()) {
            return null;
        }
        if (records.size() > 1) {
            return new NoPolicy(records.size() + " DMARC records at " + name);
        }
        return DmarcRecord.parse(records.get(0))
                .<Lookup>map(r -> new Found(r, domain, organizational))
                .orElse(new NoPolicy("no usable policy in the DMARC record at " + name));
    }
}
