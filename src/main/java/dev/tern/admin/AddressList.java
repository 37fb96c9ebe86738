package dev.tern.admin;

import java.util.ArrayList;
import java.util.List;

/**
 * The addresses of an RFC 5322 §3.4 address-list, as {@code tern sendmail -t} reads them from To, Cc and Bcc:
 * {@code Name <a@b>}, bare {@code a@b}, quoted display names with commas, comments, and groups
 * ({@code team: a@b, c@d;}, also the empty {@code undisclosed-recipients:;}). Returns the addr-specs as
 * written, without display names, comments or angle brackets; checking them is the caller's job.
 */
final class AddressList {

    private AddressList() {
    }

    static List<String> parse(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        int comment = 0;
        boolean quoted = false;
        boolean angle = false;
        boolean literal = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted) {
                token.append(c);
                if (c == '\\' && i + 1 < value.length()) {
                    token.append(value.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (comment > 0) {
                if (c == '\\') {
                    i++;
                } else if (c == '(') {
                    comment++;
                } else if (c == ')') {
                    comment--;
                }
            } else if (literal) {
                token.append(c);
                literal = c != ']';
            } else if (c == '[') {
                literal = true; // a domain literal ([IPv6:2001:db8::1]) may hold colons
                token.append(c);
            } else if (c == '(') {
                comment = 1;
            } else if (c == '"') {
                quoted = true;
                token.append(c);
            } else if (c == '<') {
                angle = true;
                token.append(c);
            } else if (c == '>') {
                angle = false;
                token.append(c);
            } else if (!angle && (c == ',' || c == ';')) {
                add(out, token);
            } else if (!angle && c == ':') {
                token.setLength(0); // a group's display name
            } else {
                token.append(c);
            }
        }
        add(out, token);
        return out;
    }

    private static void add(List<String> out, StringBuilder token) {
        String t = token.toString().strip();
        token.setLength(0);
        int open = t.lastIndexOf('<');
        if (open >= 0) {
            int close = t.indexOf('>', open);
            t = t.substring(open + 1, close < 0 ? t.length() : close).strip();
            int route = t.lastIndexOf(':'); // RFC 5322 §4.4 obsolete source route: @a,@b:user@host
            if (t.startsWith("@") && route > 0) {
                t = t.substring(route + 1);
            }
        } else {
            t = withoutSpaces(t);
        }
        if (!t.isEmpty()) {
            out.add(t);
        }
    }

    /** {@code john . doe @ example.com} (obsolete but legal): spaces outside quotes carry no meaning. */
    private static String withoutSpaces(String t) {
        StringBuilder out = new StringBuilder(t.length());
        boolean quoted = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '"' && (i == 0 || t.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (quoted || !Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
