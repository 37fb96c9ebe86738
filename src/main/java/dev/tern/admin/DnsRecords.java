package dev.tern.admin;

import dev.tern.dns.DnsResolver;
import dev.tern.dns.DnsResult;
import dev.tern.dns.MxRecord;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The DNS records a domain served by this host should publish (MX, SPF, DKIM, DMARC), and how they compare with
 * what DNS answers now. Names are lower-case A-labels without the trailing dot.
 */
final class DnsRecords {

    enum Status { OK, MISSING, DIFFERENT, UNKNOWN }

    /** One finding: its status, the kind of record and what was found or is wrong. */
    record Finding(Status status, String kind, String text) {
        String line() {
            return String.format(Locale.ROOT, "%-9s %-6s %s", status, kind, text);
        }
    }

    private static final Pattern DMARC = Pattern.compile("\\Av[ \\t]*=[ \\t]*DMARC1[ \\t]*(;.*)?\\z", Pattern.DOTALL);
    private static final Pattern DMARC_POLICY = Pattern.compile("(?i)(\\A|;)\\s*p\\s*=\\s*(none|quarantine|reject)\\s*(;|\\z)");
    private static final Pattern SPF = Pattern.compile("(?i)\\Av=spf1(\\s.*)?\\z", Pattern.DOTALL);

    private final DnsResolver dns;
    private final String domain;
    private final String hostname;
    private final List<DkimPublicKeys.Key> keys;

    DnsRecords(DnsResolver dns, String domain, String hostname, List<DkimPublicKeys.Key> keys) {
        this.dns = dns;
        this.domain = domain;
        this.hostname = bare(hostname);
        this.keys = List.copyOf(keys);
    }

    String spfRecord() {
        return "v=spf1 mx -all";
    }

    String dmarcRecord() {
        return "v=DMARC1; p=none; rua=mailto:postmaster@" + domain;
    }

    /** The records to publish, in zone-file syntax; TXT data split into strings of at most 255 octets. */
    List<String> wanted() {
        List<String> lines = new ArrayList<>();
        lines.add(domain + ". IN MX 10 " + hostname + ".");
        lines.add(domain + ". IN TXT " + txt(spfRecord()));
        for (DkimPublicKeys.Key key : keys) {
            lines.add(key.selector() + "._domainkey." + domain + ". IN TXT " + txt(key.record()));
        }
        lines.add("_dmarc." + domain + ". IN TXT " + txt(dmarcRecord()));
        return lines;
    }

    /** The addresses of this host in DNS, for an SPF record that names them instead of "mx". */
    List<InetAddress> hostAddresses() {
        List<InetAddress> out = new ArrayList<>(dns.a(hostname).records());
        out.addAll(dns.aaaa(hostname).records());
        return out;
    }

    /** What DNS publishes now, one finding per record. */
    List<Finding> check() {
        List<Finding> findings = new ArrayList<>();
        findings.add(checkMx());
        findings.add(checkHostAddress());
        findings.add(checkSpf());
        if (keys.isEmpty()) {
            findings.add(new Finding(Status.MISSING, "DKIM", "no DKIM key for " + domain
                    + ": run 'tern dkim keygen " + domain + "' first"));
        }
        for (DkimPublicKeys.Key key : keys) {
            findings.add(checkDkim(key));
        }
        findings.add(checkDmarc());
        return findings;
    }

    private Finding checkMx() {
        DnsResult<MxRecord> mx = dns.mx(domain);
        if (mx instanceof DnsResult.Temporary<MxRecord> t) {
            return new Finding(Status.UNKNOWN, "MX", domain + ": DNS lookup failed: " + t.reason());
        }
        List<String> targets = mx.records().stream().map(r -> bare(r.exchange())).toList();
        if (targets.isEmpty()) {
            return new Finding(Status.MISSING, "MX", domain + " has no MX record; publish one pointing at " + hostname);
        }
        if (targets.contains(hostname)) {
            return new Finding(Status.OK, "MX", domain + " points at " + hostname);
        }
        return new Finding(Status.DIFFERENT, "MX", domain + " points at " + String.join(", ", targets)
                + ", not at " + hostname);
    }

    private Finding checkHostAddress() {
        DnsResult<InetAddress> a = dns.a(hostname);
        DnsResult<InetAddress> aaaa = dns.aaaa(hostname);
        List<String> addresses = new ArrayList<>();
        a.records().forEach(x -> addresses.add(x.getHostAddress()));
        aaaa.records().forEach(x -> addresses.add(x.getHostAddress()));
        if (!addresses.isEmpty()) {
            return new Finding(Status.OK, "HOST", hostname + " has address " + String.join(", ", addresses));
        }
        if (a.isTemporary() || aaaa.isTemporary()) {
            return new Finding(Status.UNKNOWN, "HOST", hostname + ": DNS lookup failed");
        }
        return new Finding(Status.MISSING, "HOST", hostname + " has no A or AAAA record; the MX target needs one");
    }

    private Finding checkSpf() {
        DnsResult<String> txt = dns.txt(domain);
        if (txt instanceof DnsResult.Temporary<String> t) {
            return new Finding(Status.UNKNOWN, "SPF", domain + ": DNS lookup failed: " + t.reason());
        }
        List<String> spf = txt.records().stream().filter(r -> SPF.matcher(r.strip()).matches()).toList();
        if (spf.isEmpty()) {
            return new Finding(Status.MISSING, "SPF", domain + " has no SPF record; publish \"" + spfRecord() + "\"");
        }
        if (spf.size() > 1) {
            return new Finding(Status.DIFFERENT, "SPF", domain + " has " + spf.size()
                    + " SPF records, which makes every SPF check a permerror (RFC 7208 §4.5); keep one");
        }
        String record = spf.get(0);
        String why = SpfMechanisms.authorizes(record, domain, hostname, hostAddresses());
        if (why == null) {
            return new Finding(Status.DIFFERENT, "SPF", domain + ": \"" + record + "\" does not name mx, a:"
                    + hostname + " or this host's address; publish \"" + spfRecord() + "\"");
        }
        return new Finding(Status.OK, "SPF", domain + ": \"" + record + "\" (" + why + ")");
    }

    private Finding checkDkim(DkimPublicKeys.Key key) {
        String name = key.selector() + "._domainkey." + domain;
        DnsResult<String> txt = dns.txt(name);
        if (txt instanceof DnsResult.Temporary<String> t) {
            return new Finding(Status.UNKNOWN, "DKIM", name + ": DNS lookup failed: " + t.reason());
        }
        List<String> records = txt.records();
        if (records.isEmpty()) {
            return new Finding(Status.MISSING, "DKIM", name + " has no key record; publish the one above");
        }
        if (records.size() > 1) {
            return new Finding(Status.DIFFERENT, "DKIM", name + " has " + records.size()
                    + " TXT records; verifiers need exactly one key record");
        }
        String published = tag(records.get(0), "p");
        String type = tag(records.get(0), "k");
        if (published == null || published.isEmpty()) {
            return new Finding(Status.DIFFERENT, "DKIM", name + ": the published key is revoked or absent (empty p=)");
        }
        if (!published.replaceAll("\\s", "").equals(key.publicKey())
                || !(type == null ? "rsa" : type.toLowerCase(Locale.ROOT)).equals(key.type())) {
            return new Finding(Status.DIFFERENT, "DKIM", name + ": DKIM key mismatch: the published key is not the "
                    + "public half of " + key.file());
        }
        return new Finding(Status.OK, "DKIM", name + " publishes the " + key.type() + " key of " + key.file());
    }

    private Finding checkDmarc() {
        String name = "_dmarc." + domain;
        DnsResult<String> txt = dns.txt(name);
        if (txt instanceof DnsResult.Temporary<String> t) {
            return new Finding(Status.UNKNOWN, "DMARC", name + ": DNS lookup failed: " + t.reason());
        }
        List<String> records = txt.records().stream().filter(r -> DMARC.matcher(r.strip()).matches()).toList();
        if (records.isEmpty()) {
            return new Finding(Status.MISSING, "DMARC", name + " has no DMARC record; publish \"" + dmarcRecord() + "\"");
        }
        if (records.size() > 1) {
            return new Finding(Status.DIFFERENT, "DMARC", name + " has " + records.size()
                    + " DMARC records, so receivers apply none (RFC 7489 §6.6.3); keep one");
        }
        if (!DMARC_POLICY.matcher(records.get(0)).find()) {
            return new Finding(Status.DIFFERENT, "DMARC", name + ": \"" + records.get(0)
                    + "\" has no valid p= tag (none, quarantine or reject)");
        }
        return new Finding(Status.OK, "DMARC", name + ": \"" + records.get(0) + "\"");
    }

    /** The value of a {@code tag=value} list's tag (RFC 6376 §3.2), or null. */
    private static String tag(String record, String name) {
        for (String part : record.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).strip().equalsIgnoreCase(name)) {
                return part.substring(eq + 1).strip();
            }
        }
        return null;
    }

    /** TXT data in zone-file form: quoted strings of at most 255 octets (RFC 1035 §3.3.14). */
    static String txt(String data) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < data.length(); i += 255) {
            parts.add("\"" + data.substring(i, Math.min(data.length(), i + 255)) + "\"");
        }
        return String.join(" ", parts);
    }

    static String bare(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") && lower.length() > 1 ? lower.substring(0, lower.length() - 1) : lower;
    }
}
