package dev.tern.policy.spf;

import dev.tern.dns.Addresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * Expands macro-strings (RFC 7208 §7.3) for one check: the client address, sender, HELO name and receiver are
 * fixed; the current domain changes with include and redirect.
 */
final class MacroExpander {

    /** Domain names longer than this are cut from the left, label by label (§7.3). */
    private static final int MAX_DOMAIN = 253;

    private final InetAddress ip;
    private final String sender;
    private final String helo;
    private final String receiver;
    private final long now;
    private final Function<String, String> validatedName;

    MacroExpander(InetAddress ip, String sender, String helo, String receiver, long now,
            Function<String, String> validatedName) {
        this.ip = ip;
        this.sender = sender;
        this.helo = helo;
        this.receiver = receiver;
        this.now = now;
        this.validatedName = validatedName;
    }

    /** Expands a domain-spec into a name to query, without a trailing dot and at most 253 characters long. */
    String domain(MacroString spec, String currentDomain) {
        String name = expand(spec, currentDomain);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        while (name.length() > MAX_DOMAIN && name.indexOf('.') >= 0) {
            name = name.substring(name.indexOf('.') + 1);
        }
        return name;
    }

    String expand(MacroString string, String currentDomain) {
        StringBuilder out = new StringBuilder();
        for (MacroString.Part part : string.parts()) {
            switch (part) {
                case MacroString.Literal literal -> out.append(literal.text());
                case MacroString.Macro macro -> out.append(expand(macro, currentDomain));
            }
        }
        return out.toString();
    }

    private String expand(MacroString.Macro macro, String currentDomain) {
        String value = switch (macro.letter()) {
            case 's' -> sender;
            case 'l' -> sender.substring(0, sender.lastIndexOf('@'));
            case 'o' -> sender.substring(sender.lastIndexOf('@') + 1);
            case 'd' -> currentDomain;
            case 'i' -> dotted(ip);
            case 'p' -> validatedName.apply(currentDomain);
            case 'v' -> ip instanceof Inet6Address ? "ip6" : "in-addr";
            case 'h' -> helo;
            case 'c' -> readable(ip);
            case 'r' -> receiver;
            case 't' -> Long.toString(now);
            default -> throw new IllegalStateException("macro letter checked at parse time: " + macro.letter());
        };
        String transformed = transform(value, macro);
        return macro.escape() ? urlEscape(transformed) : transformed;
    }

    /** Split on the delimiters, optionally reverse, keep the rightmost parts, join with dots (§7.3). */
    private static String transform(String value, MacroString.Macro macro) {
        if (macro.keep() == 0 && !macro.reverse() && macro.delimiters().equals(".")) {
            return value;
        }
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            if (macro.delimiters().indexOf(value.charAt(i)) >= 0) {
                parts.add(value.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(value.substring(start));
        if (macro.reverse()) {
            Collections.reverse(parts);
        }
        if (macro.keep() > 0 && macro.keep() < parts.size()) {
            parts = parts.subList(parts.size() - macro.keep(), parts.size());
        }
        return String.join(".", parts);
    }

    /**
     * %{i}: dotted quad, or for IPv6 the 32 nibbles separated by dots (§7.3). Hex digits are upper-case, as the
     * RFC 7208 test suite expects in explanations; DNS names ignore the case anyway.
     */
    static String dotted(InetAddress ip) {
        if (!(ip instanceof Inet6Address)) {
            return ip.getHostAddress();
        }
        String hex = HexFormat.of().withUpperCase().formatHex(ip.getAddress());
        StringBuilder out = new StringBuilder();
        for (char nibble : hex.toCharArray()) {
            out.append(out.isEmpty() ? "" : ".").append(nibble);
        }
        return out.toString();
    }

    /** %{c}: the usual text form, compressed for IPv6 (RFC 5952). */
    static String readable(InetAddress ip) {
        if (!Addresses.isIpv6(ip)) {
            return ip.getHostAddress();
        }
        String[] groups = ip.getHostAddress().replaceFirst("%.*", "").split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        if (bestStart < 0) {
            return String.join(":", groups);
        }
        String head = String.join(":", List.of(groups).subList(0, bestStart));
        String tail = String.join(":", List.of(groups).subList(bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }

    /** Upper-case macro letters: escape everything outside RFC 3986 "unreserved" (§7.3). */
    private static String urlEscape(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (unreserved) {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }
}
