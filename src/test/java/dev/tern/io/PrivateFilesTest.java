package dev.tern.io;

import static dev.tern.io.ModeRecordingFileLayer.mode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {

    @TempDir
    Path dir;

    @BeforeEach
    void posixOnly() {
        assumeThat(PrivateFiles.posix(dir)).as("a POSIX file system").isTrue();
    }

    @Test
    void anAtomicWriteCreatesItsTemporaryFileOwnerOnlyAndTheMissingDirectories0700() throws IOException {
        ModeRecordingFileLayer files = new ModeRecordingFileLayer();
        Path target = dir.resolve("a/b/state");

        AtomicFiles.write(files, target, "x".getBytes(StandardCharsets.US_ASCII));

        assertThat(files.modesAtCreation).hasSize(1);
        assertThat(files.modesAtCreation.keySet().iterator().next()).startsWith(".state.tmp");
        assertThat(files.modesAtCreation.values()).containsExactly("rw-------");
        assertThat(mode(target)).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("a"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("a/b"))).isEqualTo("rwx------");
        try (Stream<Path> left = Files.list(target.getParent())) {
            assertThat(left).containsExactly(target);
        }
    }

    @Test
    void replacingAWiderFileLeavesTheOwnerOnlyOne() throws IOException {
        Path target = dir.resolve("aliases");
        Files.writeString(target, "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        AtomicFiles.write(target, "new".getBytes(StandardCharsets.US_ASCII));
        assertThat(mode(target)).isEqualTo("rw-------");
    }

    @Test
    void directoriesThatExistKeepTheModeTheOperatorGaveThem() throws IOException {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-x---"));
        PrivateFiles.createDirectories(shared.resolve("inner"));
        assertThat(mode(shared)).isEqualTo("rwxr-x---");
        assertThat(mode(shared.resolve("inner"))).isEqualTo("rwx------");
        assertThat(mode(PrivateFiles.createFile(shared.resolve("marker")))).isEqualTo("rw-------");
    }

    @Test
    void theRealFileLayerCreatesOwnerOnlyFiles() throws IOException {
        try (SyncableOutputStream out = RealFileLayer.INSTANCE.create(dir.resolve("draft"))) {
            assertThat(mode(dir.resolve("draft"))).isEqualTo("rw-------");
        }
    }

    @Test
    void withoutPosixPermissionsFilesAndDirectoriesAreStillMade() throws IOException {
        Path zip = dir.resolve("store.zip");
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("create", "true"))) {
            Path inside = fs.getPath("/mail/new");
            assertThat(PrivateFiles.posix(inside)).isFalse();
            assertThat(PrivateFiles.fileAttributes(inside)).isEmpty();
            PrivateFiles.createDirectories(inside);
            PrivateFiles.createFile(inside.resolve("message"));
            assertThat(Files.isRegularFile(inside.resolve("message"))).isTrue();
        }
    }
}
