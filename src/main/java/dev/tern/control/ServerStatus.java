package dev.tern.control;

import dev.tern.queue.QueueCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * What {@code STATUS} tells about a running server, carried as one reply line of {@code key=value} words and
 * read back by {@code tern status}:
 * <pre>
 * version=0.1.0 started=2026-01-02T03:04:05Z uptime=3600 active=1 deferred=2 held=0 oldest=2026-01-02T03:10:00Z
 *     listener=mx,127.0.0.1,25,up listener=submission,::,587,up
 * </pre>
 * (one line on the wire). Listener names are letters, digits, {@code -}, {@code _} and {@code .}, so a comma
 * separates the fields of one listener.
 *
 * @param version   the server's version
 * @param started   when the server started
 * @param uptime    how long it has run
 * @param listeners its SMTP listeners
 * @param queue     its queue
 */
public record ServerStatus(String version, Instant started, Duration uptime, List<Listener> listeners,
                           QueueCounts queue) {

    public ServerStatus {
        listeners = List.copyOf(listeners);
    }

    /** One SMTP listener: its name, address, bound port and whether it accepts connections. */
    public record Listener(String name, String address, int port, boolean accepting) {
    }

    /** The reply text. */
    public String line() {
        StringJoiner out = new StringJoiner(" ");
        out.add("version=" + version.replace(' ', '_')).add("started=" + started)
                .add("uptime=" + uptime.toSeconds()).add("active=" + queue.active())
                .add("deferred=" + queue.deferred()).add("held=" + queue.held());
        if (queue.oldest() != null) {
            out.add("oldest=" + queue.oldest());
        }
        for (Listener l : listeners) {
            out.add("listener=" + l.name() + "," + l.address() + "," + l.port() + "," + (l.accepting() ? "up" : "down"));
        }
        return out.toString();
    }

    /** Reads {@link #line()} back; unknown words are skipped, so a newer server's reply still reads. */
    public static ServerStatus parse(String text) {
        String version = "unknown";
        Instant started = null;
        Instant oldest = null;
        long uptime = 0;
        int active = 0;
        int deferred = 0;
        int held = 0;
        List<Listener> listeners = new ArrayList<>();
        try {
            for (String word : text.strip().split(" +")) {
                int eq = word.indexOf('=');
                String key = eq < 0 ? word : word.substring(0, eq);
                String value = eq < 0 ? "" : word.substring(eq + 1);
                switch (key) {
                    case "version" -> version = value;
                    case "started" -> started = Instant.parse(value);
                    case "uptime" -> uptime = Long.parseLong(value);
                    case "active" -> active = Integer.parseInt(value);
                    case "deferred" -> deferred = Integer.parseInt(value);
                    case "held" -> held = Integer.parseInt(value);
                    case "oldest" -> oldest = Instant.parse(value);
                    case "listener" -> listeners.add(listener(value));
                    default -> {
                        // a word from a newer server
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unreadable status from the server: " + ControlCommands.oneLine(text), e);
        }
        if (started == null) {
            throw new IllegalArgumentException("unreadable status from the server: " + ControlCommands.oneLine(text));
        }
        return new ServerStatus(version, started, Duration.ofSeconds(uptime), listeners,
                new QueueCounts(active, deferred, held, oldest));
    }

    private static Listener listener(String value) {
        // The address may be IPv6 (colons, no commas): name first, then address, port and state from the end.
        int first = value.indexOf(',');
        int last = value.lastIndexOf(',');
        int middle = value.lastIndexOf(',', last - 1);
        if (first < 0 || middle <= first) {
            throw new IllegalArgumentException("listener " + value);
        }
        return new Listener(value.substring(0, first), value.substring(first + 1, middle),
                Integer.parseInt(value.substring(middle + 1, last)), value.substring(last + 1).equals("up"));
    }
}
