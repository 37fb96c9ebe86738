package dev.tern.queue;

import java.io.IOException;

/**
 * Escaping for the queue's text files (envelope, delivery state): one field per line, values separated by
 * single spaces. A value is written so that it never contains a space, a line break or another control
 * character, whatever a client put in an address: {@code %XX} for ASCII controls, space and {@code %};
 * {@code %uXXXX} for C1 controls, U+2028/U+2029 and unpaired surrogates. Other text, including UTF-8
 * addresses (RFC 6531), stays readable. {@code -} stands for null, so a literal {@code -} is {@code %2D}.
 */
final class TextValues {

    static final String NULL = "-";

    private TextValues() {
    }

    static String escape(String value) {
        if (value == null) {
            return NULL;
        }
        if (value.equals(NULL)) {
            return "%2D";
        }
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == '%' || c == 0x7F) {
                out.append('%').append(hex(c, 2));
            } else if ((c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029) {
                out.append("%u").append(hex(c, 4));
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                out.append(c).append(value.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append("%u").append(hex(c, 4));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String unescape(String token) throws IOException {
        if (token.equals(NULL)) {
            return null;
        }
        StringBuilder out = new StringBuilder(token.length());
        int i = 0;
        while (i < token.length()) {
            char c = token.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
            } else if (i + 1 < token.length() && token.charAt(i + 1) == 'u') {
                out.append((char) parseHex(token, i + 2, 4));
                i += 6;
            } else {
                out.append((char) parseHex(token, i + 1, 2));
                i += 3;
            }
        }
        return out.toString();
    }

    private static String hex(char c, int digits) {
        String h = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
        return "0".repeat(digits - h.length()) + h;
    }

    private static int parseHex(String token, int from, int digits) throws IOException {
        if (from + digits > token.length()) {
            throw new IOException("truncated escape in " + token);
        }
        int value = 0;
        for (int i = from; i < from + digits; i++) {
            int d = Character.digit(token.charAt(i), 16);
            if (d < 0) {
                throw new IOException("bad escape in " + token);
            }
            value = value * 16 + d;
        }
        return value;
    }

    /** Splits a line into its space-separated tokens (empty tokens kept: an empty value is legal). */
    static String[] tokens(String line) {
        return line.split(" ", -1);
    }
}
