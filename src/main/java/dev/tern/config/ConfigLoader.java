package dev.tern.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.tern.mail.IpNetwork;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the one TOML file over the defaults in code. The file is parsed into a tree and walked key by key:
 * absent keys keep their default, unknown keys and bad values are refused with the file, key and reason
 * (invariant 7: every limit is named, has a default and is checked at load). docs/configuration.md lists
 * every key.
 */
public final class ConfigLoader {

    private static final TomlMapper TOML = new TomlMapper();

    private ConfigLoader() {
    }

    /**
     * Loads {@code file} over {@code defaults}.
     *
     * @param file     the TOML file; its name appears in every message as the operator wrote it
     * @param defaults the values of absent keys; a relative {@code data_dir} in the file is resolved against
     *                 the directory holding the file
     * @throws ConfigException naming the file, the key and the reason
     */
    public static TernConfig load(Path file, TernConfig defaults) throws ConfigException {
        String name = file.toString();
        ObjectNode root = parse(file, name);
        return read(new Section(name, "", root), file, defaults);
    }

    /** Every reader over the top-level table; {@link ConfigSchema} runs the same readers to describe the keys. */
    static TernConfig read(Section top, Path file, TernConfig defaults) throws ConfigException {
        String hostname = top.string("hostname", defaults.hostname());
        check(top, "hostname", Syntax.hostnameProblem(hostname));
        Path dataDir = dataDir(top, file, defaults.dataDir());
        List<String> domains = domains(top, defaults.domains());
        List<ListenerSettings> listeners = listeners(top, defaults.listeners());
        SmtpLimits limits = LimitsReader.limits(top, defaults.limits());
        QueueSettings queue = LimitsReader.queue(top, defaults.queue());
        SecuritySettings security = SecurityReader.read(top, file.toAbsolutePath().getParent(), defaults.security());
        AuthSettings auth = AuthReader.read(top, defaults.auth());
        RuleSettings rules = RulesReader.read(top, defaults.rules());
        MailAuthSettings mailAuth = MailAuthReader.read(top, defaults.mailAuth());
        DeliverySettings delivery = DeliveryReader.read(top, defaults.delivery());
        DnsSettings dns = DnsReader.read(top, defaults.dns());
        BounceSettings bounce = BounceReader.read(top, defaults.bounce());
        DkimSettings dkim = DkimReader.read(top, defaults.dkim());
        AcmeSettings acme = AcmeReader.read(top, file.toAbsolutePath().getParent(), defaults.acme());
        RateLimitSettings rateLimits = RateLimitReader.read(top, defaults.rateLimits());
        GreylistSettings greylist = GreylistReader.read(top, defaults.greylist());
        List<MilterSettings> milters = MilterReader.read(top, defaults.milters(), listeners);
        ScreenSettings screen = ScreenReader.read(top, defaults.screen());
        ServiceSettings service = ServiceReader.read(top, defaults.service());
        MetricsSettings metrics = MetricsReader.read(top, defaults.metrics());
        MtaStsSettings mtaSts = MtaStsReader.read(top, defaults.mtaSts());
        DaneSettings dane = DaneReader.read(top, defaults.dane());
        TlsReportSettings tlsReports = TlsReportReader.read(top, defaults.tlsReports());
        SrsSettings srs = SrsReader.read(top, file.toAbsolutePath().getParent(), defaults.srs());
        MailboxSettings mailbox = MailboxReader.read(top, defaults.mailbox());
        LmtpSettings lmtp = LmtpReader.read(top, file.toAbsolutePath().getParent(), defaults.lmtp());
        top.refuseUnknown();
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, auth, rules,
                mailAuth, delivery, dns, bounce, dkim, acme, rateLimits, greylist, milters, screen, service, metrics,
                mtaSts, dane, tlsReports, srs, mailbox, lmtp);
    }

    private static ObjectNode parse(Path file, String name) throws ConfigException {
        try (InputStream in = Files.newInputStream(file)) {
            JsonNode tree = TOML.readTree(in);
            if (tree == null || tree.isMissingNode()) {
                return TOML.createObjectNode(); // an empty file: every default holds
            }
            return (ObjectNode) tree;
        } catch (NoSuchFileException e) {
            throw new ConfigException(name, null, "no such file");
        } catch (JacksonException e) {
            throw new ConfigException(name, null, "not valid TOML" + where(e.getLocation()) + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse("syntax error"));
        } catch (IOException e) {
            throw new ConfigException(name, null, "cannot read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static Path dataDir(Section top, Path file, Path fallback) throws ConfigException {
        String text = top.string("data_dir", null);
        if (text == null) {
            return fallback;
        }
        if (text.isBlank() || text.indexOf('\0') >= 0) {
            throw top.error("data_dir", "must be a directory path, got \"" + text + "\"");
        }
        Path path = Path.of(text);
        // Relative to the file, not to wherever the server happens to be started from.
        Path base = file.toAbsolutePath().getParent();
        return path.isAbsolute() || base == null ? path : base.resolve(path).normalize();
    }

    private static List<String> domains(Section top, List<String> fallback) throws ConfigException {
        List<String> domains = top.strings("domains", null);
        if (domains == null) {
            return fallback;
        }
        Set<String> keys = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (String domain : domains) {
            check(top, "domains", Syntax.domainProblem(domain));
            if (!keys.add(Syntax.domainKey(domain))) {
                throw top.error("domains", "\"" + domain + "\" is listed twice");
            }
            out.add(domain.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private static List<ListenerSettings> listeners(Section top, List<ListenerSettings> fallback) throws ConfigException {
        List<Section> tables = top.tables("listener").orElse(null);
        if (tables == null) {
            return fallback;
        }
        if (tables.isEmpty()) {
            throw top.error("listener", "must hold at least one [[listener]]");
        }
        List<ListenerSettings> out = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, String> endpoints = new HashMap<>();
        for (Section table : tables) {
            ListenerSettings listener = listener(table);
            String other = names.putIfAbsent(listener.name(), table.path("name"));
            if (other != null) {
                throw table.error("name", "\"" + listener.name() + "\" is already the name of " + other);
            }
            String endpoint = listener.address() + " port " + listener.port();
            other = listener.port() == 0 ? null : endpoints.putIfAbsent(endpoint, table.path("port"));
            if (other != null) {
                throw table.error("port", endpoint + " is already used by " + other);
            }
            out.add(listener);
        }
        return out;
    }

    /** Defaults: role mx, name = the role, address 127.0.0.1, the role's standard port (25, 587, 465). */
    private static ListenerSettings listener(Section table) throws ConfigException {
        ListenerSettings.Role role = table.choice("role", ListenerSettings.Role.MX, ListenerSettings.Role.class);
        String name = table.string("name", role.name().toLowerCase(Locale.ROOT));
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw table.error("name", "must be 1 to 64 letters, digits, '-', '_' or '.', got \"" + name + "\"");
        }
        String address = table.string("address", "127.0.0.1");
        check(table, "address", Syntax.ipProblem(address));
        int port = table.integer("port", standardPort(role), 0, 65535);
        ListenerSettings.Proxy proxy = proxy(table);
        table.refuseUnknown();
        return new ListenerSettings(name, role, address, port, proxy);
    }

    /**
     * {@code proxy_protocol}, {@code proxy_networks}, {@code proxy_timeout}: Postfix's
     * {@code smtpd_upstream_proxy_protocol = haproxy}, limited to the proxies' own networks.
     */
    private static ListenerSettings.Proxy proxy(Section table) throws ConfigException {
        boolean enabled = table.bool("proxy_protocol", false);
        List<IpNetwork> networks = new ArrayList<>();
        for (String text : table.strings("proxy_networks", List.of())) {
            try {
                networks.add(IpNetwork.parse(text));
            } catch (IllegalArgumentException e) {
                throw table.error("proxy_networks", e.getMessage());
            }
        }
        Duration timeout = table.duration("proxy_timeout", ListenerSettings.DEFAULT_PROXY_TIMEOUT,
                Duration.ofMillis(100), Duration.ofMinutes(5));
        if (enabled && networks.isEmpty()) {
            throw table.error("proxy_networks", "must name the proxies' networks when proxy_protocol = true: "
                    + "whoever may send the header chooses the client address");
        }
        if (!enabled && (!networks.isEmpty() || table.present("proxy_timeout"))) {
            throw table.error(networks.isEmpty() ? "proxy_timeout" : "proxy_networks",
                    "is only read with proxy_protocol = true");
        }
        return enabled ? new ListenerSettings.Proxy(true, networks, timeout) : ListenerSettings.Proxy.NONE;
    }

    /** RFC 5321 §4.5.4 / RFC 6409 §3.1 / RFC 8314 §3.3. */
    static int standardPort(ListenerSettings.Role role) {
        return switch (role) {
            case MX -> 25;
            case SUBMISSION -> 587;
            case SUBMISSIONS -> 465;
        };
    }

    private static void check(Section section, String key, String problem) throws ConfigException {
        if (problem != null) {
            throw section.error(key, problem);
        }
    }
}
