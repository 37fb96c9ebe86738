package dev.tern.policy.dkim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A DKIM tag=value list (RFC 6376 §3.2), used by signatures and key records: names are case-sensitive, values are
 * unfolded and trimmed of surrounding white space. A repeated tag makes the whole list invalid.
 */
final class TagList {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private TagList() {
    }

    /** The tags in order; an empty spec (as after a final ";") is skipped. */
    static Map<String, String> parse(String text) throws DkimFormatException {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String spec : text.replace("\r\n", "").split(";", -1)) {
            if (spec.isBlank()) {
                continue;
            }
            int eq = spec.indexOf('=');
            if (eq < 0) {
                throw new DkimFormatException("tag without '=': " + shorten(spec.strip()));
            }
            String name = trimWsp(spec.substring(0, eq));
            if (!NAME.matcher(name).matches()) {
                throw new DkimFormatException("bad tag name: " + shorten(name));
            }
            if (tags.put(name, trimWsp(spec.substring(eq + 1))) != null) {
                throw new DkimFormatException("tag " + name + "= appears twice");
            }
        }
        return Collections.unmodifiableMap(tags);
    }

    /** Removes every WSP and FWS, as base64 values (b=, bh=, p=) allow inside them. */
    static String withoutWhitespace(String value) {
        return value.replaceAll("[ \t\r\n]", "");
    }

    private static String trimWsp(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isWsp(s.charAt(start))) {
            start++;
        }
        while (end > start && isWsp(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isWsp(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
