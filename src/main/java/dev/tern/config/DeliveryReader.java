package dev.tern.config;

import dev.tern.config.DeliverySettings.AddressFamilies;
import dev.tern.config.DeliverySettings.AttemptLimits;
import dev.tern.config.DeliverySettings.DomainRoute;
import dev.tern.config.DeliverySettings.Relayhost;
import dev.tern.config.DeliverySettings.TlsPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code [delivery]} with its sub-tables {@code [delivery.relayhost]}, {@code [[delivery.route]]} and
 * {@code [[delivery.tls_policy]]} into {@link DeliverySettings}. docs/config-delivery.md lists the keys.
 */
final class DeliveryReader {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration HOUR = Duration.ofHours(1);
    /** RFC 5321 §4.5.4 / §5.1: SMTP between MTAs is on port 25. */
    private static final int SMTP_PORT = 25;

    private DeliveryReader() {
    }

    static DeliverySettings read(Section top, DeliverySettings d) throws ConfigException {
        Optional<Section> table = top.table("delivery");
        if (table.isEmpty()) {
            return d;
        }
        Section s = table.get();
        DeliverySettings settings = new DeliverySettings(
                s.duration("connect_timeout", d.connectTimeout(), SECOND, HOUR),
                s.duration("command_timeout", d.commandTimeout(), SECOND, HOUR),
                s.duration("data_init_timeout", d.dataInitTimeout(), SECOND, HOUR),
                s.duration("data_block_timeout", d.dataBlockTimeout(), SECOND, HOUR),
                s.duration("data_done_timeout", d.dataDoneTimeout(), SECOND, HOUR),
                s.integer("max_connections", d.maxConnections(), 1, 100_000),
                s.integer("max_per_destination", d.maxPerDestination(), 1, 100_000),
                s.duration("reuse_time", d.reuseTime(), Duration.ZERO, Duration.ofMinutes(5)),
                addresses(s, d.addresses()),
                s.choice("tls", d.tls(), TlsPolicy.class),
                caFile(s, d.caFile()),
                relayhost(s, d.relayhost()),
                routes(s, d.routes()),
                tlsPolicies(s, d.tlsPolicies()),
                s.integer("mx_port", d.mxPort(), 1, 65535),
                attempts(s, d.attempts()),
                s.integer("local_delivery_threads", d.localThreads(), 1, 10_000));
        if (settings.maxPerDestination() > settings.maxConnections()) {
            throw s.error("max_per_destination", "must not exceed " + s.path("max_connections") + " ("
                    + settings.maxConnections() + "), got " + settings.maxPerDestination());
        }
        if (settings.attempts().timeout().compareTo(settings.connectTimeout()) < 0) {
            throw s.error("attempt_timeout", "must not be shorter than " + s.path("connect_timeout") + " ("
                    + ConfigValues.formatDuration(settings.connectTimeout()) + "), got \""
                    + ConfigValues.formatDuration(settings.attempts().timeout()) + "\"");
        }
        s.refuseUnknown();
        return settings;
    }

    private static AttemptLimits attempts(Section s, AttemptLimits d) throws ConfigException {
        return new AttemptLimits(
                s.duration("attempt_timeout", d.timeout(), SECOND, Duration.ofDays(1)),
                s.integer("max_addresses_per_attempt", d.maxAddresses(), 1, 100),
                s.integer("max_sessions_per_attempt", d.maxSessions(), 1, 100));
    }

    private static AddressFamilies addresses(Section s, AddressFamilies fallback) throws ConfigException {
        String text = s.string("address_preference", null);
        if (text == null) {
            return fallback;
        }
        List<String> names = new ArrayList<>();
        for (AddressFamilies f : AddressFamilies.values()) {
            if (f.configName().equals(text)) {
                return f;
            }
            names.add("\"" + f.configName() + "\"");
        }
        throw s.error("address_preference", "must be one of " + String.join(", ", names) + ", got \"" + text + "\"");
    }

    private static Path caFile(Section s, Path fallback) throws ConfigException {
        String text = s.string("ca_file", null);
        if (text == null) {
            return fallback;
        }
        Path file = absolute(s, "ca_file", text);
        if (!Files.isReadable(file)) {
            throw s.error("ca_file", "cannot read \"" + text + "\"");
        }
        return file;
    }

    private static Relayhost relayhost(Section top, Relayhost fallback) throws ConfigException {
        Optional<Section> table = top.table("relayhost");
        if (table.isEmpty()) {
            return fallback;
        }
        Section s = table.get();
        String host = host(s);
        int port = s.integer("port", SMTP_PORT, 1, 65535);
        TlsPolicy tls = s.choice("tls", null, TlsPolicy.class);
        String username = s.string("username", null);
        String password = password(s, username);
        boolean allowUnverified = s.bool("allow_unverified_tls_auth", false);
        tls = credentialsTls(s, tls, username, allowUnverified);
        s.refuseUnknown();
        return new Relayhost(host, port, tls, username, password);
    }

    /**
     * The relay host's TLS policy when it gets our credentials. RFC 4954 §4 and RFC 8314 §3: credentials never
     * travel in the clear; and under {@code may} or {@code encrypt} any certificate is taken, so whoever sits on
     * the path (a forged DNS answer is enough) can present one and collect the password. With a username the
     * policy therefore defaults to {@code verify}, and a weaker one must be asked for by name.
     */
    private static TlsPolicy credentialsTls(Section s, TlsPolicy tls, String username, boolean allowUnverified)
            throws ConfigException {
        if (username == null) {
            if (allowUnverified) {
                throw s.error("allow_unverified_tls_auth", "needs a username: it only concerns credentials");
            }
            return tls;
        }
        if (tls == TlsPolicy.NONE) {
            throw s.error("tls", "must not be \"none\" when a username is set: credentials are sent only over TLS");
        }
        if ((tls == TlsPolicy.MAY || tls == TlsPolicy.ENCRYPT) && !allowUnverified) {
            throw s.error("tls", "is \"" + tls.name().toLowerCase(java.util.Locale.ROOT) + "\" but a username is"
                    + " set: the password would go to any server that shows a certificate; use \"verify\", or set "
                    + s.path("allow_unverified_tls_auth") + " = true to send it without checking the certificate");
        }
        return tls == null ? TlsPolicy.VERIFY : tls;
    }

    private static String password(Section s, String username) throws ConfigException {
        String password = s.string("password", null);
        String fileText = s.string("password_file", null);
        if (password != null && fileText != null) {
            throw s.error("password_file", "give either password or password_file, not both");
        }
        if (fileText != null) {
            Path file = absolute(s, "password_file", fileText);
            try {
                password = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw s.error("password_file", "cannot read \"" + fileText + "\": " + e.getClass().getSimpleName());
            }
        }
        if (username == null && password != null) {
            throw s.error(fileText != null ? "password_file" : "password", "needs a username");
        }
        if (username != null && (password == null || password.isEmpty())) {
            throw s.error("username", "needs a password or password_file");
        }
        return password;
    }

    private static Map<String, DomainRoute> routes(Section top, Map<String, DomainRoute> fallback)
            throws ConfigException {
        List<Section> tables = top.tables("route").orElse(null);
        if (tables == null) {
            return fallback;
        }
        Map<String, DomainRoute> out = new HashMap<>();
        for (Section s : tables) {
            String domain = domain(s, "domain");
            DomainRoute route = new DomainRoute(domain, host(s), s.integer("port", SMTP_PORT, 1, 65535),
                    s.choice("tls", null, TlsPolicy.class));
            s.refuseUnknown();
            if (out.put(Syntax.domainKey(domain), route) != null) {
                throw s.error("domain", "\"" + domain + "\" has another route already");
            }
        }
        return out;
    }

    private static Map<String, TlsPolicy> tlsPolicies(Section top, Map<String, TlsPolicy> fallback)
            throws ConfigException {
        List<Section> tables = top.tables("tls_policy").orElse(null);
        if (tables == null) {
            return fallback;
        }
        Map<String, TlsPolicy> out = new HashMap<>();
        for (Section s : tables) {
            String domain = domain(s, "domain");
            TlsPolicy policy = s.choice("policy", null, TlsPolicy.class);
            if (policy == null) {
                throw s.error("policy", "is required: \"none\", \"may\", \"encrypt\" or \"verify\"");
            }
            s.refuseUnknown();
            if (out.put(Syntax.domainKey(domain), policy) != null) {
                throw s.error("domain", "\"" + domain + "\" has another TLS policy already");
            }
        }
        return out;
    }

    private static String domain(Section s, String key) throws ConfigException {
        String domain = s.string(key, null);
        if (domain == null) {
            throw s.error(key, "is required");
        }
        String problem = Syntax.domainProblem(domain);
        if (problem != null) {
            throw s.error(key, problem);
        }
        return domain;
    }

    /** A host name or an IP address (no DNS lookup at load). */
    private static String host(Section s) throws ConfigException {
        String host = s.string("host", null);
        if (host == null) {
            throw s.error("host", "is required");
        }
        if (Syntax.hostnameProblem(host) != null && Syntax.ipProblem(host) != null) {
            throw s.error("host", "must be a host name or an IP address, got \"" + host + "\"");
        }
        return host;
    }

    /** Files named here must be absolute: the server may be started from anywhere. */
    private static Path absolute(Section s, String key, String text) throws ConfigException {
        if (text.isBlank() || text.indexOf('\0') >= 0 || !Path.of(text).isAbsolute()) {
            throw s.error(key, "must be an absolute file path, got \"" + text + "\"");
        }
        return Path.of(text);
    }
}
