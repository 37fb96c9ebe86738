package dev.tern.tlsrpt;

import dev.tern.dns.DnsResolver;
import dev.tern.dns.DnsResult;
import dev.tern.observe.MailLog;
import java.util.List;

/** Where a policy domain wants its reports: its {@code _smtp._tls} TXT record (RFC 8460 §3). */
final class ReportDestinations {

    /** What the lookup found. */
    sealed interface Lookup {
        /** Exactly one valid record. */
        record Found(TlsRptRecord record) implements Lookup {
        }

        /** No record, several, or an invalid one: the domain gets no report (§3). */
        record None(String why) implements Lookup {
        }

        /** DNS could not answer now: worth asking again later. */
        record Failed(String why) implements Lookup {
        }
    }

    private final DnsResolver dns;

    ReportDestinations(DnsResolver dns) {
        this.dns = dns;
    }

    Lookup lookup(String policyDomain) {
        String name = "_smtp._tls." + policyDomain;
        DnsResult<String> result = dns.txt(name);
        if (result instanceof DnsResult.Temporary<String> t) {
            return new Lookup.Failed(name + ": " + t.reason());
        }
        // §3: records that do not start with "v=TLSRPTv1" are discarded; other than exactly one left means none.
        List<String> candidates = result.records().stream().filter(TlsRptRecord::isCandidate).toList();
        if (candidates.size() != 1) {
            return new Lookup.None(candidates.isEmpty() ? "no TLSRPTv1 record at " + name
                    : candidates.size() + " TLSRPTv1 records at " + name);
        }
        try {
            return new Lookup.Found(TlsRptRecord.parse(candidates.get(0)));
        } catch (IllegalArgumentException e) {
            MailLog.event(null, "tlsrpt-record-invalid").with("domain", policyDomain)
                    .with("record", candidates.get(0)).with("reason", e.getMessage()).warn();
            return new Lookup.None("invalid record at " + name + ": " + e.getMessage());
        }
    }
}
