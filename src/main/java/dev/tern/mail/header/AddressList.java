package dev.tern.mail.header;

import java.util.ArrayList;
import java.util.List;

/**
 * The addr-specs of an RFC 5322 §3.4 address-list: {@code Name <a@b>}, bare {@code a@b}, quoted display names
 * holding commas or angle brackets, nested comments (§3.2.2), groups ({@code team: a@b, c@d;} and the empty
 * {@code undisclosed-recipients:;}), domain literals holding colons ({@code [IPv6:2001:db8::1]}) and the §4.4
 * obsolete forms: a source route ({@code <@a,@b:user@d>}, dropped) and white space around the dots and the
 * at-sign ({@code john . doe @ example.com}). Display names, comments, angle brackets and the white space
 * outside quoted strings and literals are removed; quoted local parts are kept as written, quotes included;
 * encoded words (RFC 2047) are left alone. Checking the addresses is the caller's job. The one parser of
 * address lists in Tern: DMARC's author domain and {@code tern sendmail -t} must read one field alike.
 */
public final class AddressList {

    private AddressList() {
    }

    /** The addr-specs of {@code value}, an unfolded field body, in order; never fails. */
    public static List<String> parse(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        StringBuilder angle = null;
        boolean done = false; // after an angle-addr, the mailbox is complete until the next ',' or ';'
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            StringBuilder sink = angle != null ? angle : done ? null : current;
            if (c == '(') {
                i = skipComment(value, i);
            } else if (c == '"' || c == '[') {
                i = copyUnit(value, i, c == '"' ? '"' : ']', sink);
            } else if (angle == null && c == '<') {
                angle = new StringBuilder();
            } else if (angle != null && c == '>') {
                current.setLength(0);
                current.append(angle);
                angle = null;
                done = true;
            } else if (angle != null && c == ':' && angle.length() > 0 && angle.charAt(0) == '@') {
                angle.setLength(0); // §4.4 obs-route: the domain list before the colon names relays, not the mailbox
            } else if (angle == null && (c == ',' || c == ';')) {
                finish(current, out);
                done = false;
            } else if (angle == null && c == ':') {
                current.setLength(0); // a group's display name (§3.4 group)
                done = false;
            } else if (sink != null && !Character.isWhitespace(c)) {
                sink.append(c);
            }
        }
        if (angle != null) {
            current.setLength(0);
            current.append(angle); // an angle-addr left open at the end of the field still names its mailbox
        }
        finish(current, out);
        return out;
    }

    private static void finish(StringBuilder current, List<String> out) {
        if (!current.isEmpty()) {
            out.add(current.toString());
        }
        current.setLength(0);
    }

    /** Returns the index of the comment's closing parenthesis; comments nest and hold quoted-pairs (§3.2.2). */
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

    /**
     * Copies a quoted string (§3.2.4) or a domain literal (§3.4.1), delimiters and quoted-pairs included, into
     * {@code sink} (none: the text is dropped), and returns the index of its closing delimiter. White space
     * inside a quoted string is kept; inside a literal it is folding white space and carries no meaning.
     */
    private static int copyUnit(String value, int open, char close, StringBuilder sink) {
        boolean literal = close == ']';
        append(sink, value.charAt(open));
        for (int i = open + 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                append(sink, c);
                append(sink, value.charAt(++i));
            } else if (c == close) {
                append(sink, c);
                return i;
            } else if (!literal || !Character.isWhitespace(c)) {
                append(sink, c);
            }
        }
        return value.length();
    }

    private static void append(StringBuilder sink, char c) {
        if (sink != null) {
            sink.append(c);
        }
    }
}
