package dev.tern.config;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Limits for tests, one named component changed at a time: {@code with(limits, "max_message_size", 100L)}.
 * Through the record's own constructor, so tests may go below what a config file allows (a 100-octet message
 * limit, a 300 ms timeout), and adding a limit never touches the tests that do not use it.
 */
public final class TestLimits {

    private TestLimits() {
    }

    /** The limits with the component named {@code key} (snake_case, as in the config file) set to {@code value}. */
    public static SmtpLimits with(SmtpLimits limits, String key, Object value) {
        String name = Pattern.compile("_(.)").matcher(key).replaceAll(m -> m.group(1).toUpperCase());
        RecordComponent[] components = SmtpLimits.class.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        boolean found = false;
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = components[i].getAccessor().invoke(limits);
                if (components[i].getName().equals(name)) {
                    values[i] = value instanceof String text ? parse(types[i], text) : value;
                    found = true;
                }
            }
            if (!found) {
                throw new IllegalArgumentException("unknown limit " + key);
            }
            return SmtpLimits.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object parse(Class<?> type, String value) {
        if (type == int.class) {
            return Integer.parseInt(value);
        } else if (type == long.class) {
            return Long.parseLong(value);
        } else if (type == Duration.class) {
            return Duration.parse(value);
        } else if (type == SmtpLimits.BareLineEndings.class) {
            return SmtpLimits.BareLineEndings.valueOf(value);
        }
        throw new IllegalArgumentException("no parser for " + type);
    }
}
