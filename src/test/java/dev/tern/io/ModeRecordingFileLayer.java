package dev.tern.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The real file layer, noting each file's mode the moment it is created, before a byte is written: a file
 * created with a wide mode and narrowed later would show here.
 */
public final class ModeRecordingFileLayer implements FileLayer {

    /** Each created file's name and its mode right after creation ({@code rw-------}). */
    public final Map<String, String> modesAtCreation = new LinkedHashMap<>();

    @Override
    public SyncableOutputStream create(Path file) throws IOException {
        SyncableOutputStream out = RealFileLayer.INSTANCE.create(file);
        synchronized (modesAtCreation) {
            modesAtCreation.put(file.getFileName().toString(),
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        return out;
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        RealFileLayer.INSTANCE.rename(from, to);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        RealFileLayer.INSTANCE.syncDirectory(dir);
    }

    @Override
    public boolean delete(Path file) throws IOException {
        return RealFileLayer.INSTANCE.delete(file);
    }

    /** The mode of a file or directory as {@code rwx------}. */
    public static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
