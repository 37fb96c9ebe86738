package dev.tern.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code [lmtp]} into {@link LmtpSettings}. docs/config-lmtp.md lists the keys. */
final class LmtpReader {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration HOUR = Duration.ofHours(1);

    private LmtpReader() {
    }

    static LmtpSettings read(Section top, Path configDir, LmtpSettings d) throws ConfigException {
        Optional<Section> table = top.table("lmtp");
        if (table.isEmpty()) {
            return d;
        }
        Section s = table.get();
        String socketText = s.string("socket", "");
        String addressText = s.string("address", "");
        Path socket = d.socket();
        String host = d.host();
        int port = d.port();
        if (!socketText.isEmpty() && !addressText.isEmpty()) {
            throw s.error("address", "give either " + s.path("socket") + " or " + s.path("address") + ", not both");
        }
        if (!socketText.isEmpty()) {
            if (socketText.indexOf('\0') >= 0) {
                throw s.error("socket", "must be a file path, got \"" + socketText.replace('\0', '?') + "\"");
            }
            socket = configDir.resolve(socketText).normalize();
            host = null;
        } else if (!addressText.isEmpty()) {
            HostPort hp = hostPort(s, addressText);
            socket = null;
            host = hp.host;
            port = hp.port;
        }
        List<String> domains = new ArrayList<>();
        for (String domain : s.strings("domains", d.domains())) {
            String problem = Syntax.domainProblem(domain);
            if (problem != null) {
                throw s.error("domains", problem);
            }
            domains.add(Syntax.domainKey(domain));
        }
        Duration connect = s.duration("connect_timeout", d.connectTimeout(), SECOND, Duration.ofMinutes(10));
        Duration command = s.duration("command_timeout", d.commandTimeout(), SECOND, HOUR);
        Duration data = s.duration("data_timeout", d.dataTimeout(), SECOND, HOUR);
        boolean check = s.bool("rcpt_check", d.rcptCheck());
        Duration checkTimeout = s.duration("rcpt_check_timeout", d.rcptCheckTimeout(), SECOND, Duration.ofMinutes(5));
        int checkConnections = s.integer("rcpt_check_connections", d.rcptCheckConnections(), 0, 100);
        if (check && socket == null && host == null) {
            throw s.error("rcpt_check", "needs " + s.path("socket") + " or " + s.path("address")
                    + ": the mailbox server to ask");
        }
        s.refuseUnknown();
        return new LmtpSettings(socket, host, port, domains, connect, command, data, check, checkTimeout,
                checkConnections);
    }

    private record HostPort(String host, int port) {
    }

    /** {@code host:port}, {@code ip:port} or {@code [ipv6]:port}. */
    private static HostPort hostPort(Section s, String text) throws ConfigException {
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "" : text.substring(0, colon);
        String portText = colon < 0 ? "" : text.substring(colon + 1);
        String problem;
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            problem = host.indexOf(':') < 0 ? "not an IPv6 address" : Syntax.ipProblem(host);
        } else if (host.indexOf(':') >= 0) {
            problem = "an IPv6 address needs brackets";
        } else {
            problem = Syntax.ipProblem(host) == null ? null : Syntax.hostnameProblem(host);
        }
        if (host.isEmpty() || problem != null || !portText.matches("[0-9]{1,5}")
                || Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > 65535) {
            throw s.error("address", "must be \"host:port\", \"ip:port\" or \"[ipv6]:port\", got \"" + text + "\"");
        }
        return new HostPort(host, Integer.parseInt(portText));
    }
}
