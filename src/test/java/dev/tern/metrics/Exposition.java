package dev.tern.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format (exposition format 0.0.4) for tests: every line is a comment
 * ({@code # HELP}, {@code # TYPE}, or another {@code #} line), or one sample {@code name{labels} value}; anything
 * else fails. Samples are keyed by name and their labels sorted, so {@code a{x="1",y="2"}} is found whatever
 * order the writer chose.
 */
public final class Exposition {

    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? ([-+]?(?:[0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|NaN|Inf))( [0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    private final Map<String, Double> samples;
    private final java.util.Set<String> families;

    private Exposition(Map<String, Double> samples, java.util.Set<String> families) {
        this.samples = samples;
        this.families = families;
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} naming the first line that is neither. */
    public static Exposition parse(String text) {
        Map<String, Double> samples = new TreeMap<>();
        java.util.Set<String> families = new java.util.TreeSet<>();
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            if (line.isEmpty() && number > 1 && text.endsWith("\n")) {
                continue; // the final line end
            }
            if (line.startsWith("# TYPE ")) {
                families.add(line.split(" ")[2]);
            }
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("line " + number + " is not a sample: " + line);
            }
            String key = key(m.group(1), m.group(3), line, number);
            String value = m.group(4);
            samples.put(key, value.endsWith("Inf") ? (value.startsWith("-") ? Double.NEGATIVE_INFINITY
                    : Double.POSITIVE_INFINITY) : Double.parseDouble(value));
        }
        return new Exposition(samples, families);
    }

    private static String key(String name, String labels, String line, int number) {
        if (labels == null || labels.isEmpty()) {
            return name;
        }
        Map<String, String> sorted = new TreeMap<>();
        Matcher l = LABEL.matcher(labels);
        int end = 0;
        while (l.lookingAt()) {
            sorted.put(l.group(1), l.group(2));
            end = l.end();
            l.region(end, labels.length());
        }
        if (end != labels.length()) {
            throw new IllegalArgumentException("line " + number + " has malformed labels: " + line);
        }
        StringBuilder key = new StringBuilder(name).append('{');
        sorted.forEach((k, v) -> key.append(k).append("=\"").append(v).append("\","));
        key.setLength(key.length() - 1);
        return key.append('}').toString();
    }

    /** The value of {@code series} ({@code name} or {@code name{a="1",b="2"}}, labels in any order), or 0. */
    public double value(String series) {
        int brace = series.indexOf('{');
        String key = brace < 0 ? series : key(series.substring(0, brace),
                series.substring(brace + 1, series.length() - 1), series, 0);
        return samples.getOrDefault(key, 0.0);
    }

    /** Whether a sample of this name (any labels) exists. */
    public boolean has(String name) {
        return samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
    }

    /** The metric families named by {@code # TYPE} lines (a histogram's name without its suffixes). */
    public java.util.Set<String> families() {
        return families;
    }

    /** The names of all samples, without labels. */
    public java.util.Set<String> names() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (String k : samples.keySet()) {
            int brace = k.indexOf('{');
            names.add(brace < 0 ? k : k.substring(0, brace));
        }
        return names;
    }
}
