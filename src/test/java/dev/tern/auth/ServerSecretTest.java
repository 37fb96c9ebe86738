package dev.tern.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSecretTest {

    @TempDir
    Path dir;

    @Test
    void theSecretIsMadeOnceAndKept() throws IOException {
        Path file = dir.resolve("state/auth-secret");
        byte[] first = ServerSecret.loadOrCreate(file);
        assertThat(first).hasSize(ServerSecret.OCTETS);
        assertThat(ServerSecret.loadOrCreate(file)).isEqualTo(first);
        assertThat(Files.list(file.getParent())).containsExactly(file);
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(file))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
    }

    @Test
    void aFileOfTheWrongSizeIsRefused() throws IOException {
        Path file = dir.resolve("auth-secret");
        Files.writeString(file, "short");
        assertThatThrownBy(() -> ServerSecret.loadOrCreate(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("expected 32 octets");
    }
}
