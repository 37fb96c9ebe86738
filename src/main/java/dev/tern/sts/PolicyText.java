package dev.tern.sts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The policy file's grammar (RFC 8461 §3.2): lines of {@code key: value}, ended by CRLF or LF;
 * {@code version: STSv1}, {@code mode}, {@code max_age} once each, {@code mx} once per pattern; keys are
 * case-sensitive; unknown keys are ignored (extensions), but every line must still be a well-formed field.
 */
final class PolicyText {

    /** Thrown for a policy that breaks the grammar; the message says how, for the mail log. */
    static final class InvalidPolicyException extends Exception {
        InvalidPolicyException(String message) {
            super(message);
        }
    }

    /** The largest {@code max_age} (§3.2): 31557600 seconds, about a year. */
    static final long LONGEST_MAX_AGE = 31_557_600L;

    /** {@code sts-policy-ext-name}, which every key also is. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    /** {@code sts-policy-mx-value}: a domain (RFC 5321), or {@code *.} and a domain. */
    private static final Pattern MX = Pattern.compile(
            "(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern MAX_AGE = Pattern.compile("[0-9]{1,10}");

    private PolicyText() {
    }

    /**
     * @param text the body as fetched (or as cached)
     * @param id   the {@code id} of the TXT record it was fetched under (§3.1)
     */
    static StsPolicy parse(String text, String id) throws InvalidPolicyException {
        String version = null;
        StsPolicy.Mode mode = null;
        Long maxAge = null;
        List<String> mx = new ArrayList<>();
        int number = 0;
        for (String line : lines(text)) {
            number++;
            if (line.isEmpty()) {
                continue; // a blank line carries no field; tolerated, as at the end of a file
            }
            int colon = line.indexOf(':');
            String key = colon < 0 ? line : line.substring(0, colon);
            if (colon < 0 || !KEY.matcher(key).matches()) {
                throw new InvalidPolicyException("line " + number + " is not \"key: value\"");
            }
            String value = value(line.substring(colon + 1), number);
            switch (key) {
                case "version" -> {
                    once(version, key);
                    if (!value.equals("STSv1")) {
                        throw new InvalidPolicyException("version \"" + value + "\", not STSv1");
                    }
                    version = value;
                }
                case "mode" -> {
                    once(mode, key);
                    mode = mode(value);
                }
                case "max_age" -> {
                    once(maxAge, key);
                    maxAge = maxAge(value);
                }
                case "mx" -> {
                    if (!MX.matcher(value).matches() || value.length() > 255) {
                        throw new InvalidPolicyException("mx \"" + value + "\" is not a host name or *.domain");
                    }
                    mx.add(value.toLowerCase(Locale.ROOT));
                }
                default -> {
                    // an extension (§3.2): ignored
                }
            }
        }
        if (version == null || mode == null || maxAge == null) {
            throw new InvalidPolicyException("no " + (version == null ? "version" : mode == null ? "mode" : "max_age")
                    + " field");
        }
        if (mx.isEmpty() && mode != StsPolicy.Mode.NONE) {
            throw new InvalidPolicyException("no mx field in mode " + mode.word());
        }
        return new StsPolicy(mode, mx, Duration.ofSeconds(maxAge), id);
    }

    /** Lines ended by LF, each with an optional CR before it; the last may have no end. */
    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        return lines.stream().map(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l).toList();
    }

    /**
     * The value after {@code ":" *WSP}, without the blanks that may follow it: visible characters and inner
     * spaces (no tab); UTF-8 beyond ASCII is allowed, controls (a bare CR among them) are not.
     */
    private static String value(String rest, int number) throws InvalidPolicyException {
        String value = rest.replaceAll("^[ \\t]+|[ \\t]+$", "");
        if (value.isEmpty()) {
            throw new InvalidPolicyException("line " + number + " has no value");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new InvalidPolicyException("line " + number + " holds a control character");
            }
        }
        return value;
    }

    private static void once(Object seen, String key) throws InvalidPolicyException {
        if (seen != null) {
            throw new InvalidPolicyException(key + " appears twice");
        }
    }

    private static StsPolicy.Mode mode(String value) throws InvalidPolicyException {
        for (StsPolicy.Mode mode : StsPolicy.Mode.values()) {
            if (mode.word().equals(value)) {
                return mode;
            }
        }
        throw new InvalidPolicyException("mode \"" + value + "\" is not enforce, testing or none");
    }

    private static long maxAge(String value) throws InvalidPolicyException {
        if (!MAX_AGE.matcher(value).matches() || Long.parseLong(value) > LONGEST_MAX_AGE) {
            throw new InvalidPolicyException("max_age \"" + value + "\" is not 0 to " + LONGEST_MAX_AGE + " seconds");
        }
        return Long.parseLong(value);
    }
}
