package dev.tern.config;

import dev.tern.mail.Domain;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks and normalizes the values of a {@code [[rule]]}; each method returns the normal form or throws
 * {@link IllegalArgumentException} with a reason fit for the operator.
 */
final class RuleValues {

    static final int MAX_PATTERN = 320;
    static final int MAX_TEXT = 400;
    private static final Pattern ENHANCED = Pattern.compile("([245])\\.([0-9]{1,3})\\.([0-9]{1,3})");

    private RuleValues() {
    }

    /** A HELO/EHLO name glob: lower case, internationalized labels in A-label form. */
    static String helo(String text) {
        checkGlob(text);
        return domainGlob(text.toLowerCase(Locale.ROOT), text);
    }

    /** A user name glob, lower case; {@code *} is any authenticated user, {@code <none>} an anonymous client. */
    static String user(String text) {
        if (text.equals(RuleDefinition.NOT_AUTHENTICATED)) {
            return text;
        }
        if (text.startsWith("<")) {
            throw new IllegalArgumentException("must be a user name, a glob such as \"*@example.com\", \"*\" for any "
                    + "authenticated user or \"" + RuleDefinition.NOT_AUTHENTICATED + "\" for none, got \"" + text + "\"");
        }
        checkGlob(text);
        return text.toLowerCase(Locale.ROOT);
    }

    /**
     * An address pattern: {@code local@domain} where either side may hold {@code *}, {@code @domain} for any
     * local part, or (for senders) {@code <>}. Local parts are written unquoted and compared in lower case.
     */
    static String address(String text, boolean sender) {
        if (text.equals(RuleDefinition.NULL_SENDER)) {
            if (!sender) {
                throw new IllegalArgumentException("\"<>\" names the null sender; it is no recipient");
            }
            return text;
        }
        checkGlob(text);
        if (text.indexOf('"') >= 0) {
            throw new IllegalArgumentException("must not hold quotes: local parts are compared unquoted, got \""
                    + text + "\"");
        }
        int at = text.lastIndexOf('@');
        if (at < 0 || at == text.length() - 1) {
            String hint = at < 0 ? "; for a whole domain write \"@" + text + "\"" : "";
            throw new IllegalArgumentException("must be an address, \"@domain\", a glob such as \"*@*.example.com\""
                    + (sender ? " or \"<>\"" : "") + hint + ", got \"" + text + "\"");
        }
        String local = at == 0 ? "*" : text.substring(0, at).toLowerCase(Locale.ROOT);
        return local + "@" + domainGlob(text.substring(at + 1).toLowerCase(Locale.ROOT), text);
    }

    /** The enhanced status code (RFC 3463 §2), whose class must agree with the reply code's first digit (§3). */
    static String enhanced(String text, int code) {
        var m = ENHANCED.matcher(text);
        if (!m.matches() || m.group(1).charAt(0) - '0' != code / 100) {
            throw new IllegalArgumentException("must be an enhanced status code " + code / 100 + ".x.x (RFC 3463), "
                    + "agreeing with the reply code " + code + ", got \"" + text + "\"");
        }
        return text;
    }

    /** Reply text (RFC 5321 §4.2: printable US-ASCII); no CR or LF, which could forge another reply line. */
    static String text(String text) {
        if (text.isBlank() || text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("must be 1 to " + MAX_TEXT + " characters, got \"" + text + "\"");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 32 || c > 126) {
                throw new IllegalArgumentException("must be printable ASCII (no CR, LF or other control character,"
                        + " RFC 5321 §4.2), found " + String.format("U+%04X", (int) c) + " at position " + (i + 1));
            }
        }
        return text;
    }

    /** Printable, no spaces or controls; UTF-8 allowed for internationalized names (RFC 6531). */
    private static void checkGlob(String text) {
        if (text.isEmpty() || text.length() > MAX_PATTERN) {
            throw new IllegalArgumentException("must be 1 to " + MAX_PATTERN + " characters, got \"" + text + "\"");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 32 || c == 127 || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("must not hold spaces or control characters, got \"" + text + "\"");
            }
        }
    }

    /**
     * Internationalized labels become A-labels by {@link Domain#asciiKey(String)}, the conversion
     * {@link Domain#key()} compares with (IDNA2008, RFC 5890), so a rule for {@code faß.de} meets mail for it.
     */
    private static String domainGlob(String lower, String original) {
        if (lower.chars().allMatch(c -> c < 128)) {
            return lower;
        }
        StringBuilder out = new StringBuilder();
        for (String label : lower.split("\\.", -1)) {
            if (out.length() > 0) {
                out.append('.');
            }
            boolean ascii = label.chars().allMatch(c -> c < 128);
            if (!ascii && label.indexOf('*') >= 0) {
                throw new IllegalArgumentException("a label with '*' must be ASCII, got \"" + original + "\"");
            }
            out.append(ascii ? label : Domain.asciiKey(label).orElseThrow(() -> new IllegalArgumentException(
                    "has a label that is not a valid internationalized name, got \"" + original + "\"")));
        }
        return out.toString();
    }
}
