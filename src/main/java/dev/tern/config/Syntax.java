package dev.tern.config;

import dev.tern.mail.Domain;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Syntax checks for host names, domains and IP addresses; each returns a reason, or null when fine. */
final class Syntax {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private Syntax() {
    }

    /**
     * RFC 1123 §2.1 host name: ASCII letters, digits and hyphens in dot-separated labels of 1 to 63 octets,
     * no leading or trailing hyphen, at most 253 octets. The greeting and EHLO use it (RFC 5321 §4.1.2).
     */
    static String hostnameProblem(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return "must be a host name of 1 to 253 characters, got \"" + name + "\"";
        }
        for (String label : name.toLowerCase(Locale.ROOT).split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return "must be a host name (letters, digits, hyphens, dot-separated labels), got \"" + name + "\"";
            }
        }
        return null;
    }

    /**
     * A mail domain: a host name, or an internationalized one in U-labels (RFC 5890) that IDNA2008 accepts,
     * by the one conversion of {@link Domain#asciiKey(String)}.
     */
    static String domainProblem(String name) {
        if (name.startsWith("[")) {
            return "must be a domain name, not an address literal, got \"" + name + "\"";
        }
        String ascii = Domain.asciiKey(name).orElse(null);
        return ascii != null && hostnameProblem(ascii) == null ? null : "must be a domain name, got \"" + name + "\"";
    }

    /**
     * The lower-case A-label form ({@link Domain#key()}), to find duplicates such as {@code Bücher.example}
     * and its xn-- form; for a name {@link #domainProblem} accepted.
     */
    static String domainKey(String name) {
        return Domain.of(name).key();
    }

    /** An IPv4 dotted quad or an IPv6 address, parsed without any DNS lookup. */
    static String ipProblem(String text) {
        if (IPV4.matcher(text).matches()) {
            return null;
        }
        // InetAddress parses a string holding ':' as an IPv6 literal and never asks DNS for it.
        if (text.indexOf(':') >= 0 && IPV6_CHARS.matcher(text).matches()) {
            try {
                InetAddress.getByName(text);
                return null;
            } catch (UnknownHostException e) {
                // fall through
            }
        }
        return "must be an IPv4 or IPv6 address such as \"127.0.0.1\", \"0.0.0.0\" or \"::\", got \"" + text + "\"";
    }
}
