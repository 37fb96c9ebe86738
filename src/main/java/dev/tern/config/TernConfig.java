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
 * @param security  TLS certificates, relay permission, sender identity
 */
public record TernConfig(
        String hostname,
        Path dataDir,
        List<String> domains,
        List<ListenerConfig> listeners,
        SmtpLimits limits,
        QueueSettings queue,
        SecuritySettings security) {

    public TernConfig {
        domains = List.copyOf(domains);
        listeners = List.copyOf(listeners);
    }

    /**
     * The embedded default: unprivileged loopback ports (MX 2525, submission 5587 with STARTTLS, submissions
     * 4465 with implicit TLS), domain {@code localhost}, data in {@code dataDir}.
     */
    public static TernConfig defaults(String hostname, Path dataDir) {
        return new TernConfig(hostname, dataDir, List.of("localhost"),
                List.of(new ListenerConfig("mx", ListenerConfig.Role.MX, "127.0.0.1", 2525),
                        new ListenerConfig("submission", ListenerConfig.Role.SUBMISSION, "127.0.0.1", 5587),
                        new ListenerConfig("submissions", ListenerConfig.Role.SUBMISSIONS, "127.0.0.1", 4465)),
                SmtpLimits.defaults(), QueueSettings.defaults(), SecuritySettings.defaults());
    }

    public TernConfig withListeners(List<ListenerConfig> newListeners) {
        return new TernConfig(hostname, dataDir, domains, newListeners, limits, queue, security);
    }

    public TernConfig withDataDir(Path newDataDir) {
        return new TernConfig(hostname, newDataDir, domains, listeners, limits, queue, security);
    }

    public TernConfig withLimits(SmtpLimits newLimits) {
        return new TernConfig(hostname, dataDir, domains, listeners, newLimits, queue, security);
    }

    public TernConfig withQueue(QueueSettings newQueue) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, newQueue, security);
    }

    public TernConfig withSecurity(SecuritySettings newSecurity) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, newSecurity);
    }
}
