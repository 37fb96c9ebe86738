package dev.tern.admin;

import dev.tern.admin.DnsRecords.Finding;
import dev.tern.admin.DnsRecords.Status;
import dev.tern.dns.DnsResolver;
import dev.tern.dns.DnsResult;
import dev.tern.sts.PublishedPolicy;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) side of {@code tern dns}: the {@code _mta-sts} and
 * {@code _smtp._tls} TXT records, the policy file with where to serve it, and how DNS compares now.
 */
final class MtaStsRecords {

    private static final Pattern TLSRPT = Pattern.compile("\\Av=TLSRPTv1[ \\t]*(;.*)?\\z", Pattern.DOTALL);

    private final DnsResolver dns;
    private final String domain;
    private final String hostname;
    private final PublishedPolicy policy;

    MtaStsRecords(DnsResolver dns, String domain, String hostname, PublishedPolicy policy) {
        this.dns = dns;
        this.domain = domain;
        this.hostname = DnsRecords.bare(hostname);
        this.policy = policy;
    }

    /** The TXT records to publish, in zone-file syntax. */
    List<String> wanted() {
        return List.of(
                "_mta-sts." + domain + ". IN TXT " + DnsRecords.txt(policy.txtRecord()),
                "_smtp._tls." + domain + ". IN TXT " + DnsRecords.txt(PublishedPolicy.tlsRptRecord(domain)));
    }

    /** The policy file and where it goes, the lines after a comment saying so. */
    List<String> policyFile() {
        List<String> lines = new ArrayList<>();
        String host = PublishedPolicy.host(domain);
        lines.add("; The MTA-STS policy, served as text/plain at " + PublishedPolicy.url(domain));
        lines.add("; by a web server with a certificate valid for " + host + " ([mta_sts] listen, or another);");
        lines.add("; " + host + " needs an address, e.g. " + host + ". IN CNAME " + hostname + ". when this host serves it:");
        policy.text().lines().forEach(lines::add);
        return lines;
    }

    /** What DNS publishes now: the policy record, the policy host's address, the TLS-RPT record. */
    List<Finding> check() {
        return List.of(checkStsRecord(), checkPolicyHost(), checkTlsRpt());
    }

    private Finding checkStsRecord() {
        String name = "_mta-sts." + domain;
        DnsResult<String> txt = dns.txt(name);
        if (txt instanceof DnsResult.Temporary<String> t) {
            return new Finding(Status.UNKNOWN, "STS", name + ": DNS lookup failed: " + t.reason());
        }
        List<String> records = txt.records().stream().filter(r -> r.startsWith("v=STSv1")).toList();
        if (records.isEmpty()) {
            return new Finding(Status.MISSING, "STS", name + " has no MTA-STS record; publish \""
                    + policy.txtRecord() + "\"");
        }
        if (records.size() > 1) {
            return new Finding(Status.DIFFERENT, "STS", name + " has " + records.size()
                    + " v=STSv1 records, so senders apply none (RFC 8461 §3.1); keep one");
        }
        String record = records.get(0);
        String id = PublishedPolicy.recordId(record);
        if (id == null) {
            return new Finding(Status.DIFFERENT, "STS", name + ": \"" + record
                    + "\" is not a valid record (RFC 8461 §3.1); publish \"" + policy.txtRecord() + "\"");
        }
        if (!id.equals(policy.id())) {
            return new Finding(Status.DIFFERENT, "STS", name + ": id=" + id + " is not the id of the policy here ("
                    + policy.id() + "); senders fetch a policy again only when the id changes");
        }
        return new Finding(Status.OK, "STS", name + ": \"" + record + "\"");
    }

    private Finding checkPolicyHost() {
        String host = PublishedPolicy.host(domain);
        DnsResult<InetAddress> a = dns.a(host);
        DnsResult<InetAddress> aaaa = dns.aaaa(host);
        List<String> addresses = new ArrayList<>();
        a.records().forEach(x -> addresses.add(x.getHostAddress()));
        aaaa.records().forEach(x -> addresses.add(x.getHostAddress()));
        if (!addresses.isEmpty()) {
            return new Finding(Status.OK, "STSWEB", host + " has address " + String.join(", ", addresses));
        }
        if (a.isTemporary() || aaaa.isTemporary()) {
            return new Finding(Status.UNKNOWN, "STSWEB", host + ": DNS lookup failed");
        }
        return new Finding(Status.MISSING, "STSWEB", host + " has no address; senders cannot fetch the policy");
    }

    private Finding checkTlsRpt() {
        String name = "_smtp._tls." + domain;
        DnsResult<String> txt = dns.txt(name);
        if (txt instanceof DnsResult.Temporary<String> t) {
            return new Finding(Status.UNKNOWN, "TLSRPT", name + ": DNS lookup failed: " + t.reason());
        }
        List<String> records = txt.records().stream().filter(r -> TLSRPT.matcher(r).matches()).toList();
        if (records.isEmpty()) {
            return new Finding(Status.MISSING, "TLSRPT", name + " has no TLS-RPT record; publish \""
                    + PublishedPolicy.tlsRptRecord(domain) + "\"");
        }
        if (records.size() > 1) {
            return new Finding(Status.DIFFERENT, "TLSRPT", name + " has " + records.size()
                    + " TLS-RPT records, so senders send no report (RFC 8460 §3); keep one");
        }
        if (!records.get(0).contains("rua=")) {
            return new Finding(Status.DIFFERENT, "TLSRPT", name + ": \"" + records.get(0)
                    + "\" names no rua= address to send reports to");
        }
        return new Finding(Status.OK, "TLSRPT", name + ": \"" + records.get(0) + "\"");
    }
}
