package dev.tern.config;

import java.time.Duration;
import java.util.Optional;

/** Reads {@code [shutdown]} and {@code [log]} into {@link ServiceSettings}. docs/config-service.md lists the keys. */
final class ServiceReader {

    private ServiceReader() {
    }

    static ServiceSettings read(Section top, ServiceSettings d) throws ConfigException {
        Duration grace = d.shutdownGrace();
        Duration deliveryGrace = d.deliveryGrace();
        Optional<Section> shutdown = top.table("shutdown");
        if (shutdown.isPresent()) {
            Section s = shutdown.get();
            grace = s.duration("grace", grace, Duration.ZERO, Duration.ofHours(1));
            deliveryGrace = s.duration("delivery_grace", deliveryGrace, Duration.ZERO, Duration.ofHours(1));
            s.refuseUnknown();
        }
        ServiceSettings.LogFormat format = d.logFormat();
        Optional<Section> log = top.table("log");
        if (log.isPresent()) {
            Section s = log.get();
            format = s.choice("format", format, ServiceSettings.LogFormat.class);
            s.refuseUnknown();
        }
        return new ServiceSettings(grace, deliveryGrace, format);
    }
}
