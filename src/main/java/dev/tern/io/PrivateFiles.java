package dev.tern.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Owner-only files and directories, given their mode when they are created: mail, queue files, password
 * hashes and keys are never readable by other local users, not even between a creation and a later chmod
 * (a reader that opens the file in that window keeps its descriptor). Directories are made 0700, files 0600
 * (the umask can only narrow them). On a file system without POSIX permissions (FAT, some network mounts)
 * the attributes are left out and the file system's own rules apply.
 */
public final class PrivateFiles {

    /** {@code rwx------}. */
    public static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    /** {@code rw-------}. */
    public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];

    private PrivateFiles() {
    }

    /** Whether {@code path}'s file system has POSIX permissions. */
    public static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** The attributes to create a file with: mode 0600 where POSIX, none elsewhere. */
    public static FileAttribute<?>[] fileAttributes(Path file) {
        return posix(file) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)} : NONE;
    }

    /** The attributes to create a directory with: mode 0700 where POSIX, none elsewhere. */
    public static FileAttribute<?>[] directoryAttributes(Path dir) {
        return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIRECTORY_MODE)} : NONE;
    }

    /**
     * Creates {@code dir} and any missing parents, each 0700 from its creation; directories that exist are
     * left as the operator made them.
     */
    public static Path createDirectories(Path dir) throws IOException {
        return Files.createDirectories(dir, directoryAttributes(dir));
    }

    /** Creates an empty file, 0600 from its creation; fails if it exists. */
    public static Path createFile(Path file) throws IOException {
        return Files.createFile(file, fileAttributes(file));
    }
}
