package dev.tern.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The server's secret for stand-in SCRAM salts ({@link FakeScram}): 32 random octets in a file of the data
 * directory, made on first start and kept, so an unknown user's salt stays the same across restarts (a salt
 * that changed at each restart, while real users' salts do not, would give unknown users away).
 */
public final class ServerSecret {

    /** The secret's length in octets. */
    public static final int OCTETS = 32;

    private ServerSecret() {
    }

    /**
     * Reads the secret from {@code file}, or creates the file (owner read/write only, where POSIX) with a
     * new random secret when it does not exist.
     *
     * @throws IOException when the file cannot be read or written, or holds something else than a secret
     */
    public static byte[] loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            create(file);
        }
        byte[] secret = Files.readAllBytes(file);
        if (secret.length != OCTETS) {
            throw new IOException(file + ": expected " + OCTETS + " octets of secret, found " + secret.length
                    + "; delete the file to make a new one");
        }
        return secret;
    }

    /** Written beside the target and renamed into place, so a crash leaves no half-written secret. */
    private static void create(Path file) throws IOException {
        byte[] secret = new byte[OCTETS];
        new SecureRandom().nextBytes(secret);
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        Files.createDirectories(dir, posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------"))} : new FileAttribute<?>[0]);
        // Owner-only from its creation, not after: a reader could otherwise open it in between.
        Path temp = Files.createTempFile(dir, ".secret", ".tmp", posix ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0]);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(secret));
                channel.force(true);
            }
            try {
                // Without REPLACE_EXISTING: another process that created the file first wins, and we read its.
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                // keep the existing secret
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
