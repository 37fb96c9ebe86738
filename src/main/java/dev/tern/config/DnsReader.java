package dev.tern.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code [dns]} into {@link DnsSettings}. docs/config-delivery.md lists the keys. */
final class DnsReader {

    private DnsReader() {
    }

    static DnsSettings read(Section top, DnsSettings d) throws ConfigException {
        Optional<Section> table = top.table("dns");
        if (table.isEmpty()) {
            return d;
        }
        Section s = table.get();
        List<String> texts = s.strings("servers", null);
        List<InetSocketAddress> servers = d.servers();
        if (texts != null) {
            servers = new ArrayList<>();
            for (String text : texts) {
                servers.add(server(s, text));
            }
        }
        DnsSettings dns = new DnsSettings(servers,
                s.duration("timeout", d.timeout(), Duration.ofMillis(100), Duration.ofMinutes(1)),
                s.integer("retries", d.retries(), 0, 10),
                s.size("cache_max_bytes", d.cacheMaxBytes(), 0, 1L << 30));
        s.refuseUnknown();
        return dns;
    }

    /** {@code "ip"}, {@code "ip:port"} or {@code "[ipv6]:port"}; a bare IPv6 address uses port 53. */
    static InetSocketAddress server(Section s, String text) throws ConfigException {
        String ip = text;
        int port = DnsSettings.DNS_PORT;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || (close + 1 < text.length() && text.charAt(close + 1) != ':')) {
                throw bad(s, text);
            }
            ip = text.substring(1, close);
            port = close + 1 < text.length() ? port(s, text, text.substring(close + 2)) : port;
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            ip = text.substring(0, text.indexOf(':'));
            port = port(s, text, text.substring(text.indexOf(':') + 1));
        }
        if (Syntax.ipProblem(ip) != null) {
            throw bad(s, text);
        }
        try {
            // Syntax.ipProblem passed: a literal, so no lookup happens here.
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (UnknownHostException e) {
            throw bad(s, text);
        }
    }

    private static int port(Section s, String text, String port) throws ConfigException {
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw bad(s, text);
        }
        return Integer.parseInt(port);
    }

    private static ConfigException bad(Section s, String text) {
        return s.error("servers", "must list IP addresses, each as \"ip\", \"ip:port\" or \"[ipv6]:port\", got \""
                + text + "\"");
    }
}
