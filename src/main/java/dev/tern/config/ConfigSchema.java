package dev.tern.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The keys the loader reads, as the code itself describes them: the typed getters of {@link Section} record
 * each key they are asked for with its kind, default and range while the defaults in code are loaded through
 * every reader. A key added to a reader is therefore described without any edit here; docs/configuration.md
 * is checked against this list, and {@code tern config defaults} prints it.
 *
 * <p>In this mode an absent table reads as an empty one, so its keys are asked for. A table that cannot be
 * empty (a required key, such as {@code [relayhost]}'s {@code host}) ends the reading of that table at its
 * first required key; arrays of tables ({@code [[listener]]}, {@code [[rule]]}) have no default instance
 * and are not read at all.
 */
public final class ConfigSchema {

    /** What kind of value a key takes, as the getter that read it knows. */
    public enum Kind { STRING, INTEGER, BOOLEAN, SIZE, DURATION, CHOICE, STRINGS }

    /**
     * One key.
     *
     * @param section the table, {@code ""} for the top level, {@code "dns"} for {@code [dns]}
     * @param name    the key inside the table
     * @param value   the default in TOML syntax, or null when the key has no default value (optional)
     * @param range   {@code "1 to 100"}, the choices {@code "\"reject\" or \"normalize\""}, or null
     */
    public record Key(String section, String name, Kind kind, String value, String range) {
        /** {@code section.key}, as a TOML dotted key. */
        public String path() {
            return section.isEmpty() ? name : section + "." + name;
        }
    }

    private final Map<String, Key> keys = new LinkedHashMap<>();
    private final Set<String> skipped = new HashSet<>();

    private ConfigSchema() {
    }

    /** Every key the readers ask for when {@code defaults} is loaded, in the order they are read. */
    public static List<Key> collect(TernConfig defaults) {
        ConfigSchema schema = new ConfigSchema();
        // A table whose reading fails on a required key is read again as absent, so the rest is described.
        for (int round = 0; round < 100; round++) {
            try {
                Section top = new Section("defaults", "", JsonNodeFactory.instance.objectNode(), schema);
                ConfigLoader.read(top, Path.of("."), defaults);
                return List.copyOf(schema.keys.values());
            } catch (ConfigException e) {
                String path = e.key() == null ? "" : e.key();
                int dot = path.lastIndexOf('.');
                if (dot < 0 || !schema.skipped.add(path.substring(0, dot))) {
                    throw new IllegalStateException("the defaults in code do not load: " + e.getMessage(), e);
                }
            }
        }
        throw new IllegalStateException("the defaults in code do not load");
    }

    /** The keys as {@code section.key = value} lines, like {@code postconf -d}: valid TOML to paste. */
    public static String toToml(Collection<Key> keys) {
        StringBuilder out = new StringBuilder();
        for (Key key : keys) {
            if (key.value() == null) {
                out.append("# ").append(key.path()).append(" is unset by default");
            } else {
                out.append(key.path()).append(" = ").append(key.value());
            }
            if (key.range() != null) {
                out.append("  # ").append(key.range());
            }
            out.append('\n');
        }
        return out.toString();
    }

    boolean skips(String tablePath) {
        return skipped.contains(tablePath);
    }

    void record(String section, String name, Kind kind, String value, String range) {
        keys.putIfAbsent(section + "\0" + name, new Key(section, name, kind, value, range));
    }

    static String string(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    static String strings(List<String> list) {
        return list.stream().map(ConfigSchema::string).collect(Collectors.joining(", ", "[", "]"));
    }

    static String size(long n) {
        String text = ConfigValues.formatSize(n);
        return text.equals(Long.toString(n)) ? text : string(text);
    }

    static String duration(Duration d) {
        return string(ConfigValues.formatDuration(d));
    }

    static <E extends Enum<E>> String choices(Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(string(constant.name().toLowerCase(Locale.ROOT)));
        }
        return String.join(" or ", names);
    }
}
