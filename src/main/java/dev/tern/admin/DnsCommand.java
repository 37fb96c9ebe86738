package dev.tern.admin;

import dev.tern.config.TernConfig;
import dev.tern.dns.ResolverSettings;
import dev.tern.dns.DnsjavaResolver;
import dev.tern.mail.Domain;
import dev.tern.sts.PublishedPolicy;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tern dns DOMAIN}: the MX, SPF, DKIM, DMARC, MTA-STS and TLS-RPT records to publish for a domain served
 * here, the MTA-STS policy file and this host's TLSA record for DANE, then what DNS publishes now, line by line.
 * Exit status 0 when everything is in place, 1 otherwise (the TLSA record, which needs DNSSEC, is not checked).
 */
@Command(name = "dns", mixinStandardHelpOptions = true,
        description = {"Print the DNS records to publish for DOMAIN (MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT), the "
                + "MTA-STS policy file and this host's TLSA record for DANE, and check what DNS publishes now: OK, "
                + "MISSING, DIFFERENT (or UNKNOWN when DNS fails).",
                "Exit status 0 when every record is in place, 1 otherwise."})
final class DnsCommand implements Callable<Integer> {

    private static final Pattern SERVER = Pattern.compile("\\[([0-9A-Fa-f:.]+)](?::(\\d{1,5}))?|([0-9.]+)(?::(\\d{1,5}))?|([0-9A-Fa-f.]*:[0-9A-Fa-f:.]*)");

    @Spec
    CommandSpec spec;
    @Mixin
    DataOptions data;
    @Parameters(paramLabel = "DOMAIN", description = "The mail domain, e.g. example.com (IDN allowed).")
    String domain;
    @Option(names = "--server", paramLabel = "IP[:PORT]",
            description = "Ask this DNS server (default: the system's resolvers), e.g. 127.0.0.1:5353 or [::1]:53.")
    String server;

    @Override
    public Integer call() throws Exception {
        String name = domainKey(domain);
        TernConfig config = data.config();
        DnsjavaResolver dns = new DnsjavaResolver(server == null ? ResolverSettings.system() : settings(server));
        DnsRecords records = new DnsRecords(dns, name, config.hostname(),
                DkimPublicKeys.of(config.dataDir(), name));
        PrintWriter out = spec.commandLine().getOut();
        out.println("; Records to publish for " + name + " (mail host " + DnsRecords.bare(config.hostname()) + ")");
        if (DnsRecords.bare(config.hostname()).equals("localhost")) {
            out.println("; the host name is localhost: set hostname in the configuration file (--config)");
        }
        MtaStsRecords sts = new MtaStsRecords(dns, name, config.hostname(),
                PublishedPolicy.of(config.mtaSts(), config.hostname()));
        records.wanted().forEach(out::println);
        sts.wanted().forEach(out::println);
        List<InetAddress> addresses = records.hostAddresses();
        if (!addresses.isEmpty()) {
            out.println("; or, naming this host's address in SPF: \"v=spf1 "
                    + String.join(" ", addresses.stream().map(DnsCommand::ipMechanism).toList()) + " -all\"");
        }
        out.println();
        sts.policyFile().forEach(out::println);
        out.println();
        OwnTlsaRecord.lines(config).forEach(out::println);
        out.println();
        out.println("; Published now");
        boolean allOk = true;
        List<DnsRecords.Finding> findings = new java.util.ArrayList<>(records.check());
        findings.addAll(sts.check());
        for (DnsRecords.Finding finding : findings) {
            out.println(finding.line());
            allOk &= finding.status() == DnsRecords.Status.OK;
        }
        out.flush();
        return allOk ? 0 : 1;
    }

    private static String ipMechanism(InetAddress address) {
        return (address.getAddress().length == 4 ? "ip4:" : "ip6:") + address.getHostAddress();
    }

    private static String domainKey(String text) throws UserError {
        if (text.startsWith("[") || text.isBlank()) {
            throw new UserError("not a domain name: " + text);
        }
        String key = DnsRecords.bare(new Domain(text).key());
        if (!key.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
            throw new UserError("not a domain name: " + text);
        }
        return key;
    }

    /** {@code IP}, {@code IP:PORT}, {@code [IPv6]:PORT} or a bare IPv6 address; never a host name to look up. */
    static ResolverSettings settings(String text) throws UserError {
        Matcher m = SERVER.matcher(text);
        if (!m.matches()) {
            throw new UserError("--server: not an IP address with an optional port: " + text);
        }
        String ip = m.group(1) != null ? m.group(1) : m.group(3) != null ? m.group(3) : m.group(5);
        String port = m.group(2) != null ? m.group(2) : m.group(4);
        try {
            int p = port == null ? 53 : Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                throw new UserError("--server: port must be between 1 and 65535: " + text);
            }
            InetAddress address = InetAddress.getByName(ip);
            return ResolverSettings.of(new InetSocketAddress(address, p), Duration.ofSeconds(3), 1);
        } catch (UnknownHostException e) {
            throw new UserError("--server: not an IP address: " + text);
        }
    }
}
