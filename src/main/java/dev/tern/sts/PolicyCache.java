package dev.tern.sts;

import dev.tern.io.AtomicFiles;
import dev.tern.observe.MailLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The policies fetched, per domain: one small file each under the cache directory (written atomically: the
 * {@code id}, when it was fetched, then the policy text as served), so that a restart keeps them (RFC 8461 §5.1:
 * a cached policy outlives a DNS outage or a stripped record until its {@code max_age} is over), with a bounded
 * map in memory in front, least recently used first out. A file that does not read back is deleted and logged.
 */
final class PolicyCache {

    /** One domain's policy as fetched. */
    record Cached(StsPolicy policy, String text, Instant fetchedAt) {
        Instant expires() {
            return fetchedAt.plus(policy.maxAge());
        }

        boolean expiredAt(Instant now) {
            return !now.isBefore(expires());
        }
    }

    private static final String ID = "id: ";
    private static final String FETCHED = "fetched-at: ";

    private final Path dir;
    private final int maxEntries;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Cached> memory;

    /**
     * @param dir        the directory of the files (created when the first policy is written)
     * @param maxEntries how many domains are kept in memory
     */
    PolicyCache(Path dir, int maxEntries) {
        this.dir = dir;
        this.maxEntries = maxEntries;
        this.memory = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > PolicyCache.this.maxEntries;
            }
        };
    }

    /** The cached policy of {@code domain} (a checked A-label name), or null. */
    Cached get(String domain) {
        lock.lock();
        try {
            Cached cached = memory.get(domain);
            if (cached != null) {
                return cached;
            }
        } finally {
            lock.unlock();
        }
        Cached read = read(domain);
        if (read != null) {
            remember(domain, read);
        }
        return read;
    }

    /** Keeps {@code cached} in memory and on disk; a disk failure is logged, the memory copy still serves. */
    void put(String domain, Cached cached) {
        remember(domain, cached);
        String file = ID + cached.policy().id() + "\n" + FETCHED + cached.fetchedAt() + "\n\n" + cached.text();
        try {
            AtomicFiles.write(dir.resolve(domain), file.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            MailLog.event(null, "mta-sts").with("domain", domain).with("result", "cache-not-written")
                    .with("detail", e.toString()).warn();
        }
    }

    /** Forgets the policy of {@code domain}, in memory and on disk. */
    void remove(String domain) {
        lock.lock();
        try {
            memory.remove(domain);
        } finally {
            lock.unlock();
        }
        try {
            Files.deleteIfExists(dir.resolve(domain));
        } catch (IOException e) {
            MailLog.event(null, "mta-sts").with("domain", domain).with("result", "cache-not-deleted")
                    .with("detail", e.toString()).warn();
        }
    }

    private void remember(String domain, Cached cached) {
        lock.lock();
        try {
            memory.put(domain, cached);
        } finally {
            lock.unlock();
        }
    }

    private Cached read(String domain) {
        Path file = dir.resolve(domain);
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException absent) {
            return null;
        } catch (IOException e) {
            MailLog.event(null, "mta-sts").with("domain", domain).with("result", "cache-unreadable")
                    .with("detail", e.toString()).warn();
            return null;
        }
        try {
            return parse(content);
        } catch (PolicyText.InvalidPolicyException | DateTimeParseException | IllegalArgumentException e) {
            MailLog.event(null, "mta-sts").with("domain", domain).with("result", "cache-invalid")
                    .with("detail", e.getMessage()).warn();
            remove(domain);
            return null;
        }
    }

    private static Cached parse(String content) throws PolicyText.InvalidPolicyException {
        int end = content.indexOf("\n\n");
        String[] header = end < 0 ? new String[0] : content.substring(0, end).split("\n");
        if (header.length != 2 || !header[0].startsWith(ID) || !header[1].startsWith(FETCHED)) {
            throw new IllegalArgumentException("not a policy cache file");
        }
        String id = header[0].substring(ID.length());
        if (StsRecord.id("v=STSv1; id=" + id) == null) {
            throw new IllegalArgumentException("bad id \"" + id + "\"");
        }
        Instant fetchedAt = Instant.parse(header[1].substring(FETCHED.length()));
        String text = content.substring(end + 2);
        return new Cached(PolicyText.parse(text, id), text, fetchedAt);
    }
}
