package dev.tern.queue;

import dev.tern.io.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;

/**
 * Who runs the queue of a data directory: an exclusive lock on {@code <dataDir>/queue.lock}, held by a running
 * server for its whole life, or briefly by {@code tern queue} editing the spool of a stopped one. The operating
 * system drops the lock when its process dies, so a crash never leaves a stale lock behind. (The file is
 * outside {@code spool/}, whose dot files are removed at start.)
 */
public final class SpoolLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private SpoolLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or returns empty when another process (or this one) holds it. */
    public static Optional<SpoolLock> tryAcquire(Path dataDir) throws IOException {
        PrivateFiles.createDirectories(dataDir);
        Path file = dataDir.resolve("queue.lock");
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                PrivateFiles.fileAttributes(file));
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return Optional.of(new SpoolLock(channel, lock));
            }
        } catch (OverlappingFileLockException heldHere) {
            // this JVM holds it already (a server started in the same process)
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        channel.close();
        return Optional.empty();
    }

    /**
     * Takes the lock for a server.
     *
     * @throws IOException naming the directory when another Tern runs on it
     */
    public static SpoolLock acquire(Path dataDir) throws IOException {
        return tryAcquire(dataDir).orElseThrow(() -> new IOException(
                "another Tern process is running on " + dataDir.toAbsolutePath() + " (queue.lock is held)"));
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        }
    }
}
