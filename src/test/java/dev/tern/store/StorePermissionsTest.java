package dev.tern.store;

import static dev.tern.io.ModeRecordingFileLayer.mode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.tern.io.PrivateFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mailboxes and the directory's files (password hashes) are for Tern's user alone: 0700 and 0600. */
class StorePermissionsTest {

    @TempDir
    Path parent;

    @BeforeEach
    void posixOnly() {
        assumeThat(PrivateFiles.posix(parent)).isTrue();
    }

    /** Every directory and file under {@code root}, with root itself. */
    private static List<Path> tree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.toList();
        }
    }

    @Test
    void aDeliveryMakesEveryMaildirDirectory0700AndTheMessage0600() throws IOException {
        Path data = parent.resolve("data");
        MaildirStore store = new MaildirStore(data, "mx.example.net");
        store.deliver("alice@example.com", null, new byte[0],
                new ByteArrayInputStream("Subject: a\r\n\r\nb\r\n".getBytes(StandardCharsets.US_ASCII)));
        store.deliver("alice@example.com", "Junk", new byte[0],
                new ByteArrayInputStream("Subject: c\r\n\r\nd\r\n".getBytes(StandardCharsets.US_ASCII)));

        List<Path> made = tree(data);
        assertThat(made).anyMatch(p -> p.endsWith("maildirfolder")).anyMatch(p -> p.getParent().endsWith("new"));
        for (Path path : made) {
            assertThat(mode(path)).as(data.relativize(path).toString())
                    .isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
        }
    }

    @Test
    void theDirectorysDataDirectoryAndFilesAreOwnerOnly() throws Exception {
        Path data = parent.resolve("data");
        FileDirectory directory = new FileDirectory(data, List.of());
        directory.addDomain("example.com");
        directory.addUser("alice@example.com", StoredPassword.of("$argon2id$v=19$m=256,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"));
        directory.addAlias("postmaster@example.com", List.of("alice@example.com"));

        List<Path> made = tree(data);
        assertThat(made).extracting(p -> p.getFileName().toString()).contains("users", "domains", "aliases");
        for (Path path : made) {
            assertThat(mode(path)).as(data.relativize(path).toString())
                    .isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
        }
    }
}
