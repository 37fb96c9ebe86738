package dev.tern.policy.dmarc;

import dev.tern.mail.Domain;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The RFC5322.From domain DMARC evaluates (RFC 7489 §3.1, §6.6.1), taken from the header block.
 *
 * <p>Choice made under §6.6.1: a message without a From field, with several From fields (RFC 5322 §3.6 allows
 * exactly one), or whose From names no address, or addresses in more than one domain, is a
 * {@link Invalid}: DMARC reports {@code permerror}, and the decision treats it like a failure under a reject
 * policy, because a receiver that evaluated one From while the reader's program shows another would be fooled.
 * Several addresses all in one domain are evaluated against that domain, as §6.6.1 permits.
 */
public sealed interface AuthorDomain {

    /** The one author domain, as lower-case A-labels. */
    record Found(String domain) implements AuthorDomain {}

    /** No single author domain; {@code reason} says why, for the log and the Authentication-Results comment. */
    record Invalid(String reason) implements AuthorDomain {}

    static AuthorDomain of(List<HeaderField> fields) {
        List<HeaderField> from = fields.stream().filter(f -> f.named("From")).toList();
        if (from.isEmpty()) {
            return new Invalid("no From header field");
        }
        if (from.size() > 1) {
            return new Invalid(from.size() + " From header fields");
        }
        List<String> addresses = mailboxes(from.get(0).value());
        if (addresses.isEmpty()) {
            return new Invalid("no address in From");
        }
        Set<String> domains = new LinkedHashSet<>();
        for (String address : addresses) {
            int at = address.lastIndexOf('@');
            String domain = at < 0 ? "" : address.substring(at + 1);
            if (domain.isEmpty() || domain.startsWith("[")) {
                return new Invalid("no domain name in From address " + address);
            }
            String key = new Domain(domain).key();
            key = key.endsWith(".") ? key.substring(0, key.length() - 1) : key;
            if (key.isEmpty()) {
                return new Invalid("no domain name in From address " + address);
            }
            domains.add(key);
        }
        if (domains.size() > 1) {
            return new Invalid("From addresses in several domains: " + String.join(", ", domains));
        }
        return new Found(domains.iterator().next());
    }

    static AuthorDomain of(byte[] message) {
        return of(HeaderField.parse(message));
    }

    /**
     * The addr-specs of an RFC 5322 §3.4 mailbox-list (display names, comments and groups dropped), with the
     * white space outside quoted strings removed.
     */
    static List<String> mailboxes(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        StringBuilder angle = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            StringBuilder sink = angle != null ? angle : current;
            if (c == '(') {
                i = skipComment(value, i);
            } else if (c == '"') {
                i = copyQuoted(value, i, sink);
            } else if (angle == null && c == '<') {
                angle = new StringBuilder();
            } else if (angle != null && c == '>') {
                current.setLength(0);
                current.append(routeless(angle));
                angle = null;
                current.append('\u0000'); // marks the mailbox as done: text after the angle-addr is ignored
            } else if (angle == null && (c == ',' || c == ';')) {
                finish(current, out);
            } else if (angle == null && c == ':') {
                current.setLength(0); // a group's display name
            } else if (!Character.isWhitespace(c) && (angle != null || current.indexOf("\u0000") < 0)) {
                sink.append(c);
            }
        }
        finish(current, out);
        return out;
    }

    private static void finish(StringBuilder current, List<String> out) {
        int mark = current.indexOf("\u0000");
        String address = mark < 0 ? current.toString() : current.substring(0, mark);
        if (!address.isEmpty()) {
            out.add(address);
        }
        current.setLength(0);
    }

    /** An obsolete source route ({@code <@a,@b:user@d>}, RFC 5322 §4.4) is dropped. */
    private static String routeless(StringBuilder angle) {
        String text = angle.toString();
        int colon = text.lastIndexOf(':');
        return text.startsWith("@") && colon > 0 ? text.substring(colon + 1) : text;
    }

    /** Returns the index of the comment's closing parenthesis; comments nest (RFC 5322 §3.2.2). */
    private static int skipComment(String value, int open) {
        int depth = 0;
        for (int i = open; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return value.length();
    }

    /** Copies a quoted string, quotes included, and returns the index of its closing quote. */
    private static int copyQuoted(String value, int open, StringBuilder sink) {
        sink.append('"');
        for (int i = open + 1; i < value.length(); i++) {
            char c = value.charAt(i);
            sink.append(c);
            if (c == '\\' && i + 1 < value.length()) {
                sink.append(value.charAt(++i));
            } else if (c == '"') {
                return i;
            }
        }
        return value.length();
    }
}
