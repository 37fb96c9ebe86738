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
        ListenAddress listen = ListenAddress.read(s, "listen");
        String address = listen == null ? d.address() : listen.ip();
        int port = listen == null ? d.port() : listen.port();
        MetricsSettings settings = new MetricsSettings(address, port,
                s.size("min_free_disk", d.minFreeDisk(), 0, 1L << 50),
                s.integer("max_destinations", d.maxDestinations(), 0, 10_000));
        s.refuseUnknown();
        return settings;
    }
}
