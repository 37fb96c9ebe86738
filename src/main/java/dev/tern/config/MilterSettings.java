package dev.tern.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One {@code [[milter]]} table (docs/config-milter.md): a mail filter that speaks the Sendmail milter protocol
 * (rspamd, OpenDKIM, clamav-milter), as Postfix's {@code smtpd_milters} names one.
 *
 * @param name           the milter's name in the mail log
 * @param address        where it listens: {@code inet:host:port} or {@code unix:/path}
 * @param listeners      the names of the listeners it applies to; empty for every listener
 * @param defaultAction  what a message or command gets when the milter is down or misbehaves
 *                       (Postfix's {@code milter_default_action})
 * @param connectTimeout how long connecting and negotiating may take ({@code milter_connect_timeout})
 * @param commandTimeout how long the milter may take to answer a command ({@code milter_command_timeout})
 * @param contentTimeout how long it may take to answer a header or body chunk ({@code milter_content_timeout})
 * @param eomTimeout     how long it may take at the end of the message, where scanners do their work
 */
public record MilterSettings(String name, Address address, List<String> listeners, DefaultAction defaultAction,
                             Duration connectTimeout, Duration commandTimeout, Duration contentTimeout,
                             Duration eomTimeout) {

    /** Postfix's defaults: 30 s to connect, 30 s per command, 300 s per content packet. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration CONTENT_TIMEOUT = Duration.ofSeconds(300);
    public static final Duration EOM_TIMEOUT = Duration.ofSeconds(300);

    public MilterSettings {
        listeners = List.copyOf(listeners);
    }

    /** What a milter that cannot be asked means for the mail (Postfix: {@code milter_default_action}). */
    public enum DefaultAction {
        /** 451 4.7.1: the client tries again later; nothing passes unfiltered (Postfix's default). */
        TEMPFAIL,
        /** Go on as if the milter were not configured. */
        ACCEPT,
        /** 550 5.7.1. */
        REJECT,
        /** Accept, but hold the message in the queue for an operator. */
        QUARANTINE;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Where the milter listens: a TCP host and port, or a Unix-domain socket.
     *
     * @param host the host name or IP address (no brackets), or null for a Unix socket
     * @param port the TCP port, 0 for a Unix socket
     * @param unix the socket file, or null for TCP
     */
    public record Address(String host, int port, Path unix) {

        /** Postfix's syntax: {@code inet:host:port}, {@code inet:[::1]:port}, {@code unix:/path}. */
        public static Address parse(String text) {
            if (text.startsWith("unix:")) {
                String path = text.substring(5);
                if (path.isEmpty() || path.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("unix: needs a socket path");
                }
                return new Address(null, 0, Path.of(path));
            }
            if (!text.startsWith("inet:")) {
                throw new IllegalArgumentException("must be \"inet:host:port\" or \"unix:/path\", got \"" + text + "\"");
            }
            String rest = text.substring(5);
            int colon = rest.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("inet: needs host:port, got \"" + text + "\"");
            }
            String host = rest.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty() || (host.contains(":") && rest.charAt(0) != '[')) {
                throw new IllegalArgumentException("inet: host is empty or an unbracketed IPv6 address: \"" + text + "\"");
            }
            int port;
            try {
                port = Integer.parseInt(rest.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("inet: port must be 1 to 65535, got \"" + text + "\"");
            }
            return new Address(host, port, null);
        }

        @Override
        public String toString() {
            if (unix != null) {
                return "unix:" + unix;
            }
            return "inet:" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** Whether the milter applies to the listener of this name. */
    public boolean appliesTo(String listener) {
        return listeners.isEmpty() || listeners.contains(listener);
    }
}
