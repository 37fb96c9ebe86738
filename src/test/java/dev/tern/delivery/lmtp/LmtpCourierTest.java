package dev.tern.delivery.lmtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.LmtpSettings;
import dev.tern.delivery.Outcome;
import dev.tern.delivery.Parcel;
import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.mail.Recipient;
import dev.tern.store.Directory;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The courier against a hand-written LMTP server on a Unix socket, for what Dovecot does not do: no PIPELINING
 * (commands one by one), and a server that stops answering (the deadline ends the attempt, recipients deferred).
 */
class LmtpCourierTest {

    private static final Directory NOBODY = new Directory() {
        @Override
        public boolean isLocalDomain(Domain domain) {
            return true;
        }

        @Override
        public List<String> resolve(Address recipient) {
            return List.of();
        }
    };

    @TempDir
    Path dir;

    /** One connection: the greeting, then the replies for each command as the script says; records every line. */
    private static final class ScriptedLmtp implements AutoCloseable {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final ServerSocketChannel server;
        final Thread thread;

        ScriptedLmtp(Path socket, boolean stallAfterLhlo) throws IOException {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            thread = Thread.ofVirtual().start(() -> serve(stallAfterLhlo));
        }

        private void serve(boolean stall) {
            try (SocketChannel c = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
                        StandardCharsets.UTF_8));
                OutputStream out = Channels.newOutputStream(c);
                write(out, "220 fake LMTP\r\n");
                int rcpts = 0;
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    if (line.startsWith("LHLO")) {
                        write(out, "250-fake\r\n250 ENHANCEDSTATUSCODES\r\n"); // no PIPELINING
                        if (stall) {
                            Thread.sleep(Duration.ofMinutes(1));
                        }
                    } else if (line.startsWith("MAIL")) {
                        write(out, "250 2.1.0 OK\r\n");
                    } else if (line.startsWith("RCPT")) {
                        rcpts++;
                        write(out, line.contains("nobody@") ? "550 5.1.1 no such user\r\n" : "250 2.1.5 OK\r\n");
                    } else if (line.equals("DATA")) {
                        write(out, "354 go\r\n");
                        while (!(line = in.readLine()).equals(".")) {
                            lines.add(line);
                        }
                        // one reply per accepted recipient (RFC 2033 §4.2): the first full, the other saved
                        write(out, "452 4.2.2 <a@example.test> mailbox full\r\n");
                        for (int i = 2; i < rcpts; i++) {
                            write(out, "250 2.0.0 saved\r\n");
                        }
                    } else if (line.equals("QUIT")) {
                        write(out, "221 2.0.0 bye\r\n");
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the test ends the connection
            }
        }

        private static void write(OutputStream out, String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            server.close();
            thread.interrupt();
        }
    }

    private LmtpSettings settings(Path socket, Duration timeout) {
        return new LmtpSettings(socket, null, 0, List.of(), timeout, timeout, timeout, false, timeout, 1);
    }

    @Test
    @Timeout(30)
    void withoutPipeliningCommandsGoOneByOneAndEachRecipientGetsItsReply() throws Exception {
        Path socket = dir.resolve("lmtp");
        try (ScriptedLmtp server = new ScriptedLmtp(socket, false)) {
            List<Outcome> outcomes = new LmtpCourier(settings(socket, Duration.ofSeconds(10)), "mx.test", NOBODY)
                    .deliver(parcel("a", "nobody", "b"));

            assertThat(outcomes).extracting(Outcome::status).containsExactly(Outcome.Status.DEFERRED,
                    Outcome.Status.FAILED, Outcome.Status.DELIVERED);
            assertThat(outcomes).extracting(Outcome::enhancedCode).containsExactly("4.2.2", "5.1.1", "2.0.0");
            assertThat(server.lines).startsWith("LHLO mx.test", "MAIL FROM:<sender@example.net>", // no 8BITMIME offered, no BODY=
                    "RCPT TO:<a@example.test>", "RCPT TO:<nobody@example.test>", "RCPT TO:<b@example.test>", "DATA");
            assertThat(server.lines).contains("..dot first", "QUIT"); // the dot stuffed on the way
        }
    }

    @Test
    @Timeout(30)
    void aServerThatStopsAnsweringDefersEveryRecipientAtTheDeadline() throws Exception {
        Path socket = dir.resolve("stall");
        try (ScriptedLmtp server = new ScriptedLmtp(socket, true)) {
            List<Outcome> outcomes = new LmtpCourier(settings(socket, Duration.ofSeconds(1)), "mx.test", NOBODY)
                    .deliver(parcel("a", "b"));

            assertThat(outcomes).allSatisfy(o -> {
                assertThat(o.status()).isEqualTo(Outcome.Status.DEFERRED);
                assertThat(o.enhancedCode()).isEqualTo("4.4.2");
                assertThat(o.detail()).contains("no progress within 1s");
            });
        }
    }

    private static Parcel parcel(String... locals) {
        byte[] content = "Subject: t\r\n\r\n.dot first\r\n".getBytes(StandardCharsets.US_ASCII);
        List<Recipient> rcpts = Arrays.stream(locals)
                .map(l -> Recipient.of(new Address(l, Domain.of("example.test")))).toList();
        Envelope e = new Envelope(new Address("sender", Domain.of("example.net")), rcpts,
                Envelope.BodyType.EIGHT_BIT_MIME, false, null, null, "c", "192.0.2.1", null, Instant.now());
        return new Parcel(new QueueId("ABCDEF123456"), e, rcpts, new Parcel.Content() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(content);
            }

            @Override
            public long size() {
                return content.length;
            }
        });
    }
}
