package dev.tern.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The few file operations that durable writers (the spool) need, behind an interface so that tests can make
 * any one of them fail and check that nothing half-written is left behind. {@link RealFileLayer} is the
 * production implementation; everything else about files (listing, reading) goes through {@code java.nio}.
 */
public interface FileLayer {

    /** Creates {@code file}, which must not exist yet, owner-only ({@link PrivateFiles}), and opens it for writing. */
    SyncableOutputStream create(Path file) throws IOException;

    /** Renames atomically within one file system, replacing {@code to} if it exists. */
    void rename(Path from, Path to) throws IOException;

    /** fsync on a directory: makes the creations, renames and deletions of its entries durable. */
    void syncDirectory(Path dir) throws IOException;

    /** Deletes the file if it exists; returns whether it did. */
    boolean delete(Path file) throws IOException;
}
