package dev.tern.admin.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Counts mail delivered under a directory tree of Maildirs: files in any {@code new/} directory that were
 * not there when the counter was made. Maildir writers create a file in {@code tmp/} and rename it into
 * {@code new/} once complete, so a file seen in {@code new/} is a finished delivery.
 */
public final class MaildirCounter {

    private final Path root;
    private final Set<Path> before;

    private MaildirCounter(Path root, Set<Path> before) {
        this.root = root;
        this.before = before;
    }

    /** Remembers the files already delivered under {@code root} (none when it does not exist yet). */
    public static MaildirCounter startingNow(Path root) {
        Set<Path> existing = new HashSet<>();
        walk(root, (file, attrs) -> existing.add(file));
        return new MaildirCounter(root, Set.copyOf(existing));
    }

    /** What has arrived since the counter was made. */
    public Delivered count() {
        long[] files = {0};
        Instant[] last = {Instant.EPOCH};
        walk(root, (file, attrs) -> {
            if (!before.contains(file)) {
                files[0]++;
                Instant modified = attrs.lastModifiedTime().toInstant();
                if (modified.isAfter(last[0])) {
                    last[0] = modified;
                }
            }
        });
        return new Delivered(files[0], files[0] == 0 ? null : last[0]);
    }

    /** Polls until {@code expected} files arrived or {@code timeout} passed; returns the last count. */
    public Delivered await(long expected, Duration timeout, Duration pollEvery) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Delivered now = count();
        while (now.files() < expected && System.nanoTime() < deadline) {
            Thread.sleep(pollEvery);
            now = count();
        }
        return now;
    }

    /**
     * @param files        new files in {@code new/} directories
     * @param lastModified the newest modification time among them: when the last delivery landed
     */
    public record Delivered(long files, Instant lastModified) {
    }

    private interface FileSeen {
        void accept(Path file, BasicFileAttributes attrs);
    }

    private static void walk(Path root, FileSeen seen) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    Path parent = file.getParent();
                    if (attrs.isRegularFile() && parent != null && parent.getFileName().toString().equals("new")) {
                        seen.accept(file, attrs);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // a file moved or removed while we looked: not ours to count
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root, e);
        }
    }
}
