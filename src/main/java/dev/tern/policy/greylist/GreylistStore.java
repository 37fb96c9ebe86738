package dev.tern.policy.greylist;

import dev.tern.io.AtomicFiles;
import dev.tern.io.PrivateFiles;
import dev.tern.observe.MailLog;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The triplets and the allow-listed clients, in memory (least recently seen first, at most {@code maxEntries}
 * of each) and in {@code greylist/greylist.log} under the data directory: one line per change, the last line of
 * a key winning. On open the log is read, expired and surplus entries are dropped, and what is left is written
 * back whole through {@link AtomicFiles} (invariant 2: never rewritten in place); the same happens when the log
 * holds more than twice the live entries. Lines are written through to the operating system, not synced: a
 * power cut may forget the last few changes, which only greylists those triplets once more.
 *
 * <p>Not thread-safe: {@link Greylist} uses it under its lock.
 */
final class GreylistStore implements Closeable {

    /** A triplet: when first seen, last seen, and whether its retry passed (seconds since the epoch). */
    record Triplet(long first, long last, boolean passed) {
    }

    /** A client network: how many of its triplets passed, and when it was last seen. */
    record Client(int passes, long last) {
    }

    static final String FILE = "greylist.log";

    private final Path file;
    private final LinkedHashMap<String, Triplet> triplets;
    private final LinkedHashMap<String, Client> clients;
    private OutputStream log;
    private long lines;

    private GreylistStore(Path file, int maxEntries) {
        this.file = file;
        this.triplets = bounded(maxEntries);
        this.clients = bounded(maxEntries);
    }

    private static <V> LinkedHashMap<String, V> bounded(int max) {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }

    /**
     * Reads the log in {@code dir} (created if missing) and compacts it.
     *
     * @param tripletExpired whether a triplet read back is too old to keep
     * @param clientExpired  whether a client read back is too old to keep
     */
    static GreylistStore open(Path dir, int maxEntries, Predicate<Triplet> tripletExpired,
                              Predicate<Client> clientExpired) throws IOException {
        PrivateFiles.createDirectories(dir);
        GreylistStore store = new GreylistStore(dir.resolve(FILE), maxEntries);
        store.load();
        store.triplets.values().removeIf(tripletExpired);
        store.clients.values().removeIf(clientExpired);
        store.compact();
        return store;
    }

    private void load() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        int bad = 0;
        List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : all) {
            if (!parse(line)) {
                bad++; // a line torn by a crash, or edited by hand
            }
        }
        if (bad > 0) {
            MailLog.event(null, "greylist-store").with("file", file.getFileName()).with("skipped", bad)
                    .with("reason", "unreadable lines").warn();
        }
    }

    private boolean parse(String line) {
        String[] f = line.split(" ", -1);
        try {
            if (f.length == 7 && f[0].equals("T")) {
                triplets.put(key(decode(f[4]), decode(f[5]), decode(f[6])),
                        new Triplet(Long.parseLong(f[1]), Long.parseLong(f[2]), f[3].equals("1")));
                return true;
            }
            if (f.length == 4 && f[0].equals("C")) {
                clients.put(decode(f[3]), new Client(Integer.parseInt(f[1]), Long.parseLong(f[2])));
                return true;
            }
        } catch (IllegalArgumentException e) {
            return false;
        }
        return false;
    }

    Triplet triplet(String key) {
        return triplets.get(key);
    }

    Client client(String network) {
        return clients.get(network);
    }

    void put(String key, Triplet t) {
        triplets.put(key, t);
        append("T " + t.first() + " " + t.last() + " " + (t.passed() ? "1" : "0") + " " + key);
    }

    void put(String network, Client c) {
        clients.put(network, c);
        append("C " + c.passes() + " " + c.last() + " " + encode(network));
    }

    int triplets() {
        return triplets.size();
    }

    int clients() {
        return clients.size();
    }

    /** Drops what {@code expired} says is too old; the log forgets them at its next compaction. */
    void prune(Predicate<Triplet> tripletExpired, Predicate<Client> clientExpired) {
        triplets.values().removeIf(tripletExpired);
        clients.values().removeIf(clientExpired);
    }

    private void append(String line) {
        try {
            log.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            log.flush();
            if (++lines > 2L * (triplets.size() + clients.size()) + 10_000) {
                compact();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the live entries as a new log, atomically, and appends to it from then on. */
    private void compact() throws IOException {
        if (log != null) {
            log.close();
        }
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Client> e : clients.entrySet()) {
            text.append("C ").append(e.getValue().passes()).append(' ').append(e.getValue().last()).append(' ')
                    .append(encode(e.getKey())).append('\n');
        }
        for (Map.Entry<String, Triplet> e : triplets.entrySet()) {
            Triplet t = e.getValue();
            text.append("T ").append(t.first()).append(' ').append(t.last()).append(' ')
                    .append(t.passed() ? '1' : '0').append(' ').append(e.getKey()).append('\n');
        }
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
        lines = (long) clients.size() + triplets.size();
        log = Files.newOutputStream(file, StandardOpenOption.APPEND);
    }

    /**
     * The map key of a triplet, as the log writes it: its three parts, each URL-encoded so that none holds a
     * space or a line end ({@code <>} for an empty one, which URL encoding never produces).
     */
    static String key(String network, String sender, String recipient) {
        return encode(network) + " " + encode(sender) + " " + encode(recipient);
    }

    private static String encode(String text) {
        return text.isEmpty() ? "<>" : URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String decode(String text) {
        return text.equals("<>") ? "" : URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        if (log != null) {
            log.close();
        }
    }
}
