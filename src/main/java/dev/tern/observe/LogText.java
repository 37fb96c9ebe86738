package dev.tern.observe;

/**
 * How text a peer chose (addresses, HELO names, user names, replies of remote servers, exception messages
 * quoting any of them) is written into a log line, so that it can never look like a second field or a second
 * line: an operator's tools (grep, fail2ban, a log shipper) must be able to trust whatever Tern wrote around it.
 *
 * <ul>
 *   <li>{@link #value}: a plain token stays as it is ({@code size=1234}); anything else is quoted as
 *       {@code "..."} with {@code \"} and {@code \\}, and with every invisible or line-breaking character
 *       escaped.</li>
 *   <li>{@link #address}: an ordinary address reads {@code <a@example.org>} as it always has; one holding a space,
 *       {@code "}, {@code =}, {@code <}, {@code >}, {@code \}, a control or a non-ASCII character is quoted whole,
 *       {@code "<\"x y\"@example.org>"} (RFC 5321 §4.1.2 allows quoted local parts, RFC 6531 UTF-8).</li>
 *   <li>{@link #escape}: no quoting, only the escapes: for free text such as a whole diagnostic message.</li>
 * </ul>
 *
 * Escapes are {@code \xHH} for C0 controls, DEL and the C1 controls U+0080-U+009F (U+0085 ends a line for some
 * readers), and {@code \x{XXXX}} for the other characters a reader cannot see or that break lines:
 * Unicode line and paragraph separators, format characters (bidirectional overrides that reorder what a
 * terminal shows, zero-width characters), spaces other than U+0020, lone surrogates, private-use and unassigned
 * code points. Printable non-ASCII text stays readable.
 */
public final class LogText {

    /** {@code value} as one token: itself when plain, else quoted and escaped. */
    public static String value(String value) {
        return isPlain(value, "\"=\\") ? value : quote(value);
    }

    /** {@code <address>}, quoted whole when the address holds anything but plain ASCII address characters. */
    public static String address(String address) {
        String bracketed = "<" + address + ">";
        return address.isEmpty() || isPlain(address, "\"=\\<>") ? bracketed : quote(bracketed);
    }

    /** {@code text} with every invisible or line-breaking character escaped, and nothing else changed. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int i = 0;
        while (i < text.length() && !needsEscape(text.codePointAt(i))) {
            i += Character.charCount(text.codePointAt(i));
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
        appendEscaped(out, text.substring(i), false);
        return out.toString();
    }

    private static boolean isPlain(String value, String specials) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 127 || specials.indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8).append('"');
        appendEscaped(out, value, true);
        return out.append('"').toString();
    }

    private static void appendEscaped(StringBuilder out, String text, boolean quoted) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (quoted && (cp == '"' || cp == '\\')) {
                out.append('\\').appendCodePoint(cp);
            } else if (cp < 0xa0 && needsEscape(cp)) {
                out.append(String.format("\\x%02x", cp));
            } else if (needsEscape(cp)) {
                out.append(String.format("\\x{%04X}", cp));
            } else {
                out.appendCodePoint(cp);
            }
        }
    }

    /** Whether a reader could not see {@code cp}, or could take it for the end of a line or a field gap. */
    static boolean needsEscape(int cp) {
        if (cp < ' ' || (cp >= 0x7f && cp < 0xa0)) {
            return true;
        }
        if (cp < 0x7f) {
            return false;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SPACE_SEPARATOR, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> true;
            default -> false;
        };
    }

    private LogText() {
    }
}
