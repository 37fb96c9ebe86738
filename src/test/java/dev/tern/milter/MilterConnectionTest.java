package dev.tern.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.config.MilterSettings;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packets over a Unix-domain socket (Postfix's {@code unix:/path}), and a bad length refused before any read. */
class MilterConnectionTest {

    @TempDir
    Path dir;

    @Test
    void packetsGoBothWaysOverAUnixSocket() throws Exception {
        Path socket = dir.resolve("milter.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread peer = Thread.ofVirtual().start(() -> {
                try (SocketChannel c = server.accept()) {
                    ByteBuffer in = ByteBuffer.allocate(5 + 12);
                    while (in.hasRemaining()) {
                        c.read(in);
                    }
                    c.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 'c'}));
                    c.write(ByteBuffer.wrap(new byte[] {(byte) 0x7f, 0, 0, 0, 'x'}));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (MilterConnection connection = MilterConnection.open(MilterSettings.Address.parse("unix:" + socket),
                    Duration.ofSeconds(5))) {
                connection.send('O', new byte[12], Duration.ofSeconds(5));
                MilterConnection.Packet reply = connection.read(Duration.ofSeconds(5));
                assertThat(reply.code()).isEqualTo('c');
                assertThat(reply.data()).isEmpty();
                assertThatThrownBy(() -> connection.read(Duration.ofSeconds(5)))
                        .isInstanceOf(MilterException.class).hasMessageContaining("packet length of 2130706432");
            }
            peer.join();
        }
    }

    @Test
    void aMissingSocketIsAClearFailure() {
        assertThatThrownBy(() -> MilterConnection.open(MilterSettings.Address.parse("unix:" + dir.resolve("none")),
                Duration.ofSeconds(5))).isInstanceOf(MilterException.class).hasMessageStartingWith("cannot connect to unix:");
    }
}
