package dev.tern.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing and formatting of the value syntaxes the configuration file uses beyond plain TOML types:
 * durations ({@code "30s"}, {@code "5m"}, {@code "1h"}, {@code "5d"}) and sizes ({@code 1048576},
 * {@code "50MiB"}, {@code "10MB"}).
 */
public final class ConfigValues {

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,15})(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,18})\\s*([KMGT]i?B|B)?", Pattern.CASE_INSENSITIVE);

    private ConfigValues() {
    }

    /**
     * A duration written as a whole number and one unit: {@code ms}, {@code s}, {@code m}, {@code h}, {@code d}.
     * A bare number is refused on purpose: "300" could mean seconds or milliseconds.
     *
     * @throws IllegalArgumentException with a reason fit for the operator
     */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "must be a duration such as \"500ms\", \"30s\", \"5m\", \"1h\" or \"5d\", got \"" + text + "\"");
        }
        long n = Long.parseLong(m.group(1));
        try {
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("is too large, got \"" + text + "\"");
        }
    }

    /**
     * A size in octets: a number, or a number and a unit. {@code KiB/MiB/GiB/TiB} are powers of 1024,
     * {@code KB/MB/GB/TB} powers of 1000 (IEC 80000-13), {@code B} is octets; units ignore case.
     *
     * @throws IllegalArgumentException with a reason fit for the operator
     */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "must be a size such as 1048576, \"64KiB\", \"50MiB\" or \"1GB\", got \"" + text + "\"");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        long factor = switch (unit) {
            case "KIB" -> 1L << 10;
            case "MIB" -> 1L << 20;
            case "GIB" -> 1L << 30;
            case "TIB" -> 1L << 40;
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "TB" -> 1_000_000_000_000L;
            default -> 1L;
        };
        try {
            return Math.multiplyExact(n, factor);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("is too large, got \"" + text + "\"");
        }
    }

    /** The shortest exact form in the syntax {@link #parseDuration} reads, for messages and docs. */
    public static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0 && ms != 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0 && ms != 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0 && ms != 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }

    /** The shortest exact form with a binary unit when one fits, for messages and docs. */
    public static String formatSize(long n) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (n != 0 && n % unit == 0) {
                return n / unit + units[i];
            }
        }
        return Long.toString(n);
    }
}
