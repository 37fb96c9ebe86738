package dev.tern.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Invariant 2: state is never rewritten in place. A file is written to a temporary sibling, fsync'd,
 * renamed over the target, and the directory is fsync'd so the rename itself survives a crash. The
 * temporary file is created owner-only (0600) and missing directories 0700 ({@link PrivateFiles}), so the
 * file never had a wider mode, before or after the rename.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code data} atomically and durably. */
    public static void write(Path target, byte[] data) throws IOException {
        write(RealFileLayer.INSTANCE, target, data);
    }

    /** As above, through {@code files} (a test's, to watch or fail each step). */
    public static void write(FileLayer files, Path target, byte[] data) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        PrivateFiles.createDirectories(dir);
        Path temp = dir.resolve("." + target.getFileName() + ".tmp" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (SyncableOutputStream out = files.create(temp)) {
                out.write(data);
                out.sync();
            }
            files.rename(temp, target);
        } catch (IOException | RuntimeException e) {
            files.delete(temp);
            throw e;
        }
        files.syncDirectory(dir);
    }

    /** Renames within one file system, atomically; the caller syncs the directory. */
    public static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename atomically from " + from + " to " + to, e);
        }
    }

    /** Makes the directory's entries (creations, renames, deletions) durable: fsync on the directory. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
