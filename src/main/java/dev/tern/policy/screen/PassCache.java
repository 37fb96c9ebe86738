package dev.tern.policy.screen;

import dev.tern.io.AtomicFiles;
import dev.tern.observe.MailLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The clients that passed the greet pause, each until its expiry (postscreen's cache): in memory, bounded to
 * {@code maxEntries} (the oldest pass goes first), and kept across restarts in an append-only log of
 * {@code <expiry epoch seconds> <address>} lines that is compacted, atomically, when it opens and whenever it has
 * grown to twice the bound. See the package comment for why a log.
 */
public final class PassCache implements AutoCloseable {

    /** The file's name in the data directory. */
    public static final String FILE = "screen-cache";

    private final Path file;
    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Address to expiry (epoch seconds), oldest pass first. */
    private final LinkedHashMap<String, Long> passed = new LinkedHashMap<>();
    private FileChannel log;
    private int appended;
    private boolean failing;

    private PassCache(Path file, Duration ttl, int maxEntries, Clock clock) {
        this.file = file;
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** A cache that remembers nobody (a zero TTL or bound). */
    public static PassCache none(Clock clock) {
        return new PassCache(null, Duration.ZERO, 0, clock);
    }

    /** Loads {@code file} (missing is empty; unreadable lines are skipped), compacts it and opens it for appends. */
    public static PassCache open(Path file, Duration ttl, int maxEntries, Clock clock) throws IOException {
        if (ttl.isZero() || maxEntries == 0) {
            return none(clock);
        }
        PassCache cache = new PassCache(file, ttl, maxEntries, clock);
        cache.load();
        cache.compact();
        return cache;
    }

    /** Whether the client passed and its pass has not expired. */
    public boolean contains(String client) {
        lock.lock();
        try {
            Long expiry = passed.get(client);
            return expiry != null && expiry > clock.instant().getEpochSecond();
        } finally {
            lock.unlock();
        }
    }

    /** Remembers a client that passed, until now + TTL; written to the log (a write error is logged once). */
    public void remember(String client) {
        if (file == null) {
            return;
        }
        long expiry = clock.instant().plus(ttl).getEpochSecond();
        lock.lock();
        try {
            put(client, expiry);
            if (++appended >= 2 * maxEntries) {
                compact();
            } else {
                log.write(ByteBuffer.wrap((expiry + " " + client + "\n").getBytes(StandardCharsets.US_ASCII)));
            }
            failing = false;
        } catch (IOException e) {
            if (!failing) {
                MailLog.event(null, "screen-cache").with("file", FILE).with("problem", e.toString()).warn();
            }
            failing = true;
        } finally {
            lock.unlock();
        }
    }

    /** How many clients are remembered (expired ones included until the next compaction). */
    public int size() {
        lock.lock();
        try {
            return passed.size();
        } finally {
            lock.unlock();
        }
    }

    private void put(String client, long expiry) {
        passed.remove(client); // a newer pass goes to the end, as the youngest
        passed.put(client, expiry);
        Iterator<Map.Entry<String, Long>> oldest = passed.entrySet().iterator();
        while (passed.size() > maxEntries) {
            oldest.next();
            oldest.remove();
        }
    }

    private void load() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        long now = clock.instant().getEpochSecond();
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        for (String line : lines) {
            int space = line.indexOf(' ');
            if (space <= 0 || !line.substring(0, space).matches("[0-9]{1,19}")) {
                continue; // a line cut short by a crash; the client only waits once more
            }
            long expiry = Long.parseLong(line.substring(0, space));
            if (expiry > now) {
                put(line.substring(space + 1), expiry);
            }
        }
    }

    /** Rewrites the file from memory (temp, fsync, rename: io.AtomicFiles) and reopens it for appending. */
    private void compact() throws IOException {
        long now = clock.instant().getEpochSecond();
        passed.values().removeIf(expiry -> expiry <= now);
        StringBuilder text = new StringBuilder();
        passed.forEach((client, expiry) -> text.append(expiry).append(' ').append(client).append('\n'));
        if (log != null) {
            log.close();
        }
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.US_ASCII));
        log = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        appended = 0;
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (log != null) {
                log.close();
                log = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
