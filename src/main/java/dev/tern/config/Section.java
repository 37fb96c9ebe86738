package dev.tern.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One TOML table read strictly: each typed getter marks its key as known and falls back to the default in
 * code when the key is absent; {@link #refuseUnknown} then refuses whatever key nobody asked for.
 */
final class Section {

    private final String file;
    private final String prefix;
    private final ObjectNode node;
    private final Set<String> known = new HashSet<>();
    /** Null when loading a file; set only when {@link ConfigSchema} describes the keys. */
    private final ConfigSchema schema;

    Section(String file, String prefix, ObjectNode node) {
        this(file, prefix, node, null);
    }

    Section(String file, String prefix, ObjectNode node, ConfigSchema schema) {
        this.file = file;
        this.prefix = prefix;
        this.node = node;
        this.schema = schema;
    }

    private void recordKey(String key, ConfigSchema.Kind kind, String value, String range) {
        if (schema != null) {
            schema.record(prefix, key, kind, value, range);
        }
    }

    String path(String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    ConfigException error(String key, String reason) {
        return new ConfigException(file, path(key), reason);
    }

    private JsonNode get(String key) {
        known.add(key);
        return node.get(key);
    }

    /** Whether the key is given at all (it is then known, whatever its value). */
    boolean present(String key) {
        return get(key) != null;
    }

    String string(String key, String fallback) throws ConfigException {
        recordKey(key, ConfigSchema.Kind.STRING, fallback == null ? null : ConfigSchema.string(fallback), null);
        JsonNode value = get(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw error(key, "must be a string, got " + describe(value));
        }
        return value.textValue();
    }

    int integer(String key, int fallback, int min, int max) throws ConfigException {
        recordKey(key, ConfigSchema.Kind.INTEGER, Integer.toString(fallback), min + " to " + max);
        JsonNode value = get(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isIntegralNumber()) {
            throw error(key, "must be an integer, got " + describe(value));
        }
        if (!value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
            throw error(key, "must be between " + min + " and " + max + ", got " + value.asText());
        }
        return value.intValue();
    }

    boolean bool(String key, boolean fallback) throws ConfigException {
        recordKey(key, ConfigSchema.Kind.BOOLEAN, Boolean.toString(fallback), null);
        JsonNode value = get(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw error(key, "must be true or false, got " + describe(value));
        }
        return value.booleanValue();
    }

    /** {@code true}, {@code false}, or {@code "auto"} (null): a switch the code may decide from other settings. */
    Boolean boolOrAuto(String key, Boolean fallback) throws ConfigException {
        recordKey(key, ConfigSchema.Kind.CHOICE, fallback == null ? "\"auto\"" : fallback.toString(),
                "\"auto\", true or false");
        JsonNode value = get(key);
        if (value == null) {
            return fallback;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual() && value.textValue().equals("auto")) {
            return null;
        }
        throw error(key, "must be true, false or \"auto\", got " + describe(value));
    }

    /** Octets: an integer, or a string with a unit ({@code "50MiB"}). */
    long size(String key, long fallback, long min, long max) throws ConfigException {
        recordKey(key, ConfigSchema.Kind.SIZE, ConfigSchema.size(fallback),
                ConfigValues.formatSize(min) + " to " + ConfigValues.formatSize(max));
        JsonNode value = get(key);
        if (value == null) {
            return fallback;
        }
        long n;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            n = value.longValue();
        } else if (value.isTextual()) {
            try {
                n = ConfigValues.parseSize(value.textValue());
            } catch (IllegalArgumentException e) {
                throw error(key, e.getMessage());
            }
        } else {
            throw error(key, "must be a size such as 1048576 or \"50MiB\", got " + describe(value));
        }
        if (n < min || n > max) {
            throw error(key, "must be between " + ConfigValues.formatSize(min) + " and "
                    + ConfigValues.formatSize(max) + ", got " + value.asText());
        }
        return n;
    }

    Duration duration(String key, Duration fallback, Duration min, Duration max) throws ConfigException {
        recordKey(key, ConfigSchema.Kind.DURATION, fallback == null ? null : ConfigSchema.duration(fallback),
                ConfigValues.formatDuration(min) + " to " + ConfigValues.formatDuration(max));
        JsonNode value = get(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw error(key, "must be a duration string such as \"30s\" or \"5m\", got " + describe(value));
        }
        Duration d;
        try {
            d = ConfigValues.parseDuration(value.textValue());
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw error(key, "must be between " + ConfigValues.formatDuration(min) + " and "
                    + ConfigValues.formatDuration(max) + ", got \"" + value.textValue() + "\"");
        }
        return d;
    }

    /** One of an enum's constants, written in lower case ({@code "normalize"}). */
    <E extends Enum<E>> E choice(String key, E fallback, Class<E> type) throws ConfigException {
        recordKey(key, ConfigSchema.Kind.CHOICE,
                fallback == null ? null : ConfigSchema.string(fallback.name().toLowerCase(Locale.ROOT)),
                ConfigSchema.choices(type));
        String text = string(key, null);
        if (text == null) {
            return fallback;
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            String name = constant.name().toLowerCase(Locale.ROOT);
            if (name.equals(text)) {
                return constant;
            }
            names.add("\"" + name + "\"");
        }
        throw error(key, "must be one of " + String.join(", ", names) + ", got \"" + text + "\"");
    }

    List<String> strings(String key, List<String> fallback) throws ConfigException {
        recordKey(key, ConfigSchema.Kind.STRINGS, fallback == null ? null : ConfigSchema.strings(fallback), null);
        JsonNode value = get(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isArray()) {
            throw error(key, "must be an array of strings, got " + describe(value));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw error(key, "must be an array of strings, found " + describe(element));
            }
            out.add(element.textValue());
        }
        return out;
    }

    /** A sub-table ({@code [limits]}), or empty when absent. */
    Optional<Section> table(String key) throws ConfigException {
        JsonNode value = get(key);
        if (value == null && schema != null && !schema.skips(path(key))) {
            // Describing the keys: an absent table is read as an empty one, so that its keys are asked for.
            return Optional.of(new Section(file, path(key), node.objectNode(), schema));
        }
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw error(key, "must be a table ([" + path(key) + "]), got " + describe(value));
        }
        return Optional.of(new Section(file, path(key), (ObjectNode) value, schema));
    }

    /** An array of tables ({@code [[listener]]}), or empty when absent; elements are named {@code key[i]}. */
    Optional<List<Section>> tables(String key) throws ConfigException {
        JsonNode value = get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            throw error(key, "must be an array of tables ([[" + path(key) + "]]), got " + describe(value));
        }
        List<Section> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            if (!element.isObject()) {
                throw error(key, "must be an array of tables ([[" + path(key) + "]]), found " + describe(element));
            }
            out.add(new Section(file, path(key) + "[" + i + "]", (ObjectNode) element, schema));
        }
        return Optional.of(out);
    }

    /** The keys of this table, in file order (for tables whose keys are data, such as user names). */
    List<String> keys() {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** Refuses the first key no getter asked for: a typo must not silently leave a default in force. */
    void refuseUnknown() throws ConfigException {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw error(name, "unknown key");
            }
        }
    }

    private static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "the string \"" + value.textValue() + "\"";
        }
        if (value.isObject()) {
            return "a table";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isBoolean()) {
            return "the boolean " + value.asText();
        }
        return value.asText();
    }
}
