package dev.tern.app;

import dev.tern.config.MtaStsSettings;
import dev.tern.config.ServiceSettings;
import dev.tern.config.TernConfig;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a reload changes: the configuration to run with (the new file, except what only a restart can change),
 * the tables that changed live, and those that need a restart.
 *
 * <p>The comparison goes over {@link TernConfig}'s record components, so a table added later is compared, and
 * reported, with no code here; it changes live when what reads it is built in {@link Generation}. Only a
 * setting that the process builds once belongs in {@link #RESTART}.
 *
 * @param config  the configuration to run with from now on
 * @param changed the tables that changed live, as the operator writes them ({@code [limits]})
 * @param restart what changed in the file but keeps its running value until a restart
 */
record Reload(TernConfig config, List<String> changed, List<String> restart) {

    /**
     * Set once, with the process: the sockets bound ({@code [[listener]]}), the data directory and what was
     * opened in it (mailboxes named after the hostname, the local domains of the directory), and the queue
     * runner with its bounce composer.
     */
    static final Set<String> RESTART = Set.of("hostname", "dataDir", "domains", "listeners", "queue", "bounce",
            "acme", "rateLimits", "greylist", "screen", "metrics", "tlsReports");

    /** How the record components read in the file. */
    private static final Map<String, String> NAMES = Map.of("dataDir", "data_dir", "listeners", "[[listener]]",
            "hostname", "hostname", "domains", "domains", "security", "[tls] [relay] [submission]",
            "mailAuth", "[mailauth] [dmarc]", "rules", "[[rule]]", "service", "[shutdown]",
            "milters", "[[milter]]");

    static Reload between(TernConfig running, TernConfig file) {
        List<String> changed = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        RecordComponent[] components = TernConfig.class.getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName();
            Object old = value(components[i], running);
            Object now = value(components[i], file);
            values[i] = now;
            if (old.equals(now)) {
                continue;
            }
            if (RESTART.contains(name)) {
                restart.add(describe(name));
                values[i] = old;
            } else {
                changed.add(describe(name));
            }
        }
        TernConfig merged = construct(components, values);
        // The log format is chosen once, when logging starts; the shutdown bounds are read when the stop comes.
        ServiceSettings service = merged.service();
        if (service.logFormat() != running.service().logFormat()) {
            restart.add("[log] format");
            merged = merged.withService(new ServiceSettings(service.shutdownGrace(), service.deliveryGrace(),
                    running.service().logFormat()));
            if (merged.service().equals(running.service())) {
                changed.remove(describe("service"));
            }
        }
        merged = keepStsListener(running, merged, changed, restart);
        return new Reload(merged, List.copyOf(changed), List.copyOf(restart));
    }

    /** The HTTPS listener of our MTA-STS policy is bound once, with the process; the rest of [mta_sts] reloads. */
    private static TernConfig keepStsListener(TernConfig running, TernConfig merged, List<String> changed,
                                              List<String> restart) {
        MtaStsSettings now = merged.mtaSts();
        MtaStsSettings was = running.mtaSts();
        if (Objects.equals(now.listenAddress(), was.listenAddress()) && now.listenPort() == was.listenPort()) {
            return merged;
        }
        restart.add("[mta_sts] listen");
        TernConfig kept = merged.withMtaSts(now.withListen(was.listenAddress(), was.listenPort()));
        if (kept.mtaSts().equals(was)) {
            changed.remove(describe("mtaSts"));
        }
        return kept;
    }

    /** One line for the log and for {@code tern reload}. */
    String summary() {
        String live = changed.isEmpty() ? "nothing changed" : "changed " + String.join(", ", changed);
        return restart.isEmpty() ? live : live + "; needs a restart: " + String.join(", ", restart);
    }

    private static String describe(String component) {
        String name = NAMES.get(component);
        return name != null ? name : "[" + component.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT) + "]";
    }

    private static Object value(RecordComponent component, TernConfig config) {
        try {
            return component.getAccessor().invoke(config);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component.getName(), e);
        }
    }

    private static TernConfig construct(RecordComponent[] components, Object[] values) {
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        try {
            Constructor<TernConfig> canonical = TernConfig.class.getDeclaredConstructor(types);
            return canonical.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build the merged configuration", e);
        }
    }
}
