package dev.tern.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads {@code [[milter]]} (docs/config-milter.md) into {@link MilterSettings}, in the order the file names
 * them, which is the order the milters are asked in (as Postfix's {@code smtpd_milters} list).
 */
final class MilterReader {

    private static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    private MilterReader() {
    }

    static List<MilterSettings> read(Section top, List<MilterSettings> defaults, List<ListenerSettings> listeners)
            throws ConfigException {
        List<Section> tables = top.tables("milter").orElse(null);
        if (tables == null) {
            return defaults;
        }
        Set<String> listenerNames = new HashSet<>();
        listeners.forEach(l -> listenerNames.add(l.name()));
        Set<String> names = new HashSet<>();
        List<MilterSettings> milters = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            MilterSettings milter = milter(tables.get(i), i, listenerNames);
            if (!names.add(milter.name().toLowerCase(Locale.ROOT))) {
                throw tables.get(i).error("name", "\"" + milter.name() + "\" is already the name of another milter");
            }
            milters.add(milter);
        }
        return List.copyOf(milters);
    }

    private static MilterSettings milter(Section s, int index, Set<String> listenerNames) throws ConfigException {
        String name = s.string("name", "milter-" + (index + 1));
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw s.error("name", "must be 1 to 64 letters, digits, '-', '_' or '.', got \"" + name + "\"");
        }
        String text = s.string("address", null);
        if (text == null) {
            throw s.error("address", "is required: \"inet:127.0.0.1:11332\" or \"unix:/path/to/socket\"");
        }
        MilterSettings.Address address;
        try {
            address = MilterSettings.Address.parse(text);
        } catch (IllegalArgumentException e) {
            throw s.error("address", e.getMessage());
        }
        List<String> listeners = s.strings("listeners", List.of());
        for (String listener : listeners) {
            if (!listenerNames.contains(listener)) {
                throw s.error("listeners", "names no listener: \"" + listener + "\" (listeners: "
                        + String.join(", ", listenerNames.stream().sorted().toList()) + ")");
            }
        }
        MilterSettings.DefaultAction action = s.choice("default_action", MilterSettings.DefaultAction.TEMPFAIL,
                MilterSettings.DefaultAction.class);
        Duration min = Duration.ofMillis(1);
        Duration connect = s.duration("connect_timeout", MilterSettings.CONNECT_TIMEOUT, min, MAX_TIMEOUT);
        Duration command = s.duration("command_timeout", MilterSettings.COMMAND_TIMEOUT, min, MAX_TIMEOUT);
        Duration content = s.duration("content_timeout", MilterSettings.CONTENT_TIMEOUT, min, MAX_TIMEOUT);
        Duration eom = s.duration("eom_timeout", MilterSettings.EOM_TIMEOUT, min, MAX_TIMEOUT);
        s.refuseUnknown();
        return new MilterSettings(name, address, listeners, action, connect, command, content, eom);
    }
}
