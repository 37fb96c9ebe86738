package dev.tern.config;

import java.util.Optional;

/** Reads {@code [metrics]} into {@link MetricsSettings}. docs/config-metrics.md lists the keys. */
final class MetricsReader {

    private MetricsReader() {
    }

    static MetricsSettings read(Section top, MetricsSettings d) throws ConfigException {
        Optional<Section> table = top.table("metrics");
        if (table.isEmpty()) {
            return d;
        }
        Section s = table.get();
        String listen = s.string("listen", "");
        String address = d.address();
        int port = d.port();
        if (!listen.isEmpty()) {
            int colon = listen.lastIndexOf(':');
            String ip = colon < 0 ? "" : listen.substring(0, colon);
            String portText = colon < 0 ? "" : listen.substring(colon + 1);
            if (ip.startsWith("[") && ip.endsWith("]")) {
                ip = ip.substring(1, ip.length() - 1);
            } else if (ip.indexOf(':') >= 0) {
                ip = ""; // an IPv6 address needs its brackets before the port
            }
            if (ip.isEmpty() || Syntax.ipProblem(ip) != null || !portText.matches("[0-9]{1,5}")
                    || Integer.parseInt(portText) > 65535) {
                throw s.error("listen", "must be \"ip:port\" or \"[ipv6]:port\", got \"" + listen + "\"");
            }
            address = ip;
            port = Integer.parseInt(portText);
        }
        MetricsSettings settings = new MetricsSettings(address, port,
                s.size("min_free_disk", d.minFreeDisk(), 0, 1L << 50),
                s.integer("max_destinations", d.maxDestinations(), 0, 10_000));
        s.refuseUnknown();
        return settings;
    }
}
