package dev.tern.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Every setting of a Tern instance. Immutable; defaults live in code ({@link #defaults}); a TOML file
 * overrides them key by key and is validated at load.
 *
 * @param hostname  the name Tern uses in its greeting, EHLO reply and {@code Received:} headers
 * @param dataDir   where the spool, mailboxes, users and keys live
 * @param domains   local domains named in the config file (the CLI may add more in the data directory)
 * @param listeners the SMTP listeners
 * @param limits    SMTP session limits
 * @param queue     queue and delivery settings
 */
public record TernConfig(
        String hostname,
        Path dataDir,
        List<String> domains,
        List<ListenerConfig> listeners,
        SmtpLimits limits,
        QueueSettings queue) {

    public TernConfig {
        domains = List.copyOf(domains);
        listeners = List.copyOf(listeners);
    }

    /** The embedded default: one MX listener on 127.0.0.1:2525, domain {@code localhost}, data in ./data. */
    public static TernConfig defaults(String hostname, Path dataDir) {
        return new TernConfig(hostname, dataDir, List.of("localhost"),
                List.of(new ListenerConfig("mx", ListenerConfig.Role.MX, "127.0.0.1", 2525)),
                SmtpLimits.defaults(), QueueSettings.defaults());
    }

    public TernConfig withListeners(List<ListenerConfig> newListeners) {
        return new TernConfig(hostname, dataDir, domains, newListeners, limits, queue);
    }

    public TernConfig withDataDir(Path newDataDir) {
        return new TernConfig(hostname, newDataDir, domains, listeners, limits, queue);
    }

    public TernConfig withLimits(SmtpLimits newLimits) {
        return new TernConfig(hostname, dataDir, domains, listeners, newLimits, queue);
    }

    public TernConfig withQueue(QueueSettings newQueue) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, newQueue);
    }
}
