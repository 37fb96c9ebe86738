package dev.tern.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.QueueSettings;
import dev.tern.delivery.Outcome;
import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.mail.Recipient;
import dev.tern.queue.FileSpool;
import dev.tern.queue.QueueRunner;
import dev.tern.queue.Spool;
import dev.tern.queue.SystemDelayScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {

    private static final QueueSettings SETTINGS =
            new QueueSettings(Duration.ofHours(1), Duration.ofHours(2), Duration.ofDays(5));

    @TempDir
    Path data;

    private final AtomicInteger attempts = new AtomicInteger();
    private final List<Outcome> bounced = new ArrayList<>();
    private volatile boolean deliver;
    private FileSpool spool;
    private QueueRunner runner;
    private ControlServer control;

    @BeforeEach
    void start() throws IOException {
        spool = new FileSpool(data);
        runner = new QueueRunner(spool, parcel -> {
            attempts.incrementAndGet();
            return parcel.recipients().stream().map(r -> deliver ? Outcome.delivered(r, "test")
                    : Outcome.deferred(r, "4.4.1", "connection timed out", "mx.example.net")).toList();
        }, SETTINGS, new SystemDelayScheduler(Clock.systemUTC()), (message, failures) -> {
            synchronized (bounced) {
                bounced.addAll(failures);
            }
        });
        runner.start();
        control = new ControlServer(data, runner);
        control.start();
    }

    @AfterEach
    void stop() {
        control.close();
        runner.close();
    }

    private QueueId queued() throws Exception {
        QueueId id;
        try (Spool.Draft draft = spool.create()) {
            draft.content().write("Subject: x\r\n\r\nbody\r\n".getBytes());
            draft.commit(new Envelope(new Address("a", Domain.of("example.org")),
                    List.of(Recipient.of(new Address("b", Domain.of("example.net")))), Envelope.BodyType.SEVEN_BIT,
                    false, null, null, "client", "192.0.2.1", null, Instant.now()));
            id = draft.id();
        }
        assertThat(runner.awaitIdle(Duration.ofSeconds(10))).isTrue();
        return id;
    }

    private ControlReply send(String request) throws IOException {
        return ControlClient.send(data, request).orElseThrow();
    }

    @Test
    void theSocketIsPrivateAndAnswersPing() throws Exception {
        assertThat(Files.getPosixFilePermissions(control.socket()))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(send("PING")).isEqualTo(new ControlReply(true, "pong"));
        assertThat(send("NONSENSE x").ok()).isFalse();
        assertThat(send("HOLD not-an-id").text()).isEqualTo("not a queue id: not-an-id");
    }

    @Test
    void holdReleaseFlushAndBounceGoThroughTheRunner() throws Exception {
        QueueId id = queued();
        assertThat(attempts.get()).isEqualTo(1);

        assertThat(send("HOLD " + id + " looks odd")).isEqualTo(new ControlReply(true, "held " + id));
        assertThat(spool.hold(id)).hasValueSatisfying(h -> assertThat(h.reason()).isEqualTo("looks odd"));
        assertThat(send("FLUSH " + id).text()).contains("is held");
        assertThat(send("FLUSH")).isEqualTo(new ControlReply(true, "flushed: 0 messages due now"));
        assertThat(runner.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(attempts.get()).isEqualTo(1);

        assertThat(send("RELEASE " + id.value().toLowerCase()).ok()).isTrue();
        assertThat(runner.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(attempts.get()).isEqualTo(2);
        assertThat(send("FLUSH " + id).ok()).isTrue();
        assertThat(runner.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(attempts.get()).isEqualTo(3);

        assertThat(send("BOUNCE " + id))
                .isEqualTo(new ControlReply(true, "bounced " + id + ": 1 recipient failed with 5.0.0"));
        assertThat(bounced).extracting(Outcome::detail).containsExactly("bounced by the operator");
        assertThat(spool.exists(id)).isFalse();
        assertThat(send("DELETE " + id)).isEqualTo(new ControlReply(false, "no such message: " + id));
    }

    @Test
    void deleteAndAMessageFromAnotherProcess() throws Exception {
        QueueId first = queued();
        assertThat(send("DELETE " + first).ok()).isTrue();
        assertThat(spool.committed()).isEmpty();

        deliver = true;
        QueueId outside;
        try (Spool.Draft draft = FileSpool.shared(data).create()) {
            draft.content().write("Subject: y\r\n\r\nbody\r\n".getBytes());
            draft.commit(new Envelope(Address.NULL, List.of(Recipient.of(new Address("b", Domain.of("example.net")))),
                    Envelope.BodyType.SEVEN_BIT, false, null, null, null, null, null, Instant.now()));
            outside = draft.id();
        }
        assertThat(send("QUEUED " + outside).ok()).isTrue();
        assertThat(runner.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(spool.exists(outside)).isFalse();
        assertThat(send("DELETE-ALL")).isEqualTo(new ControlReply(true, "deleted 0 messages"));
    }

    @Test
    void afterCloseTheSocketIsGoneAndClientsSeeNoServer() throws Exception {
        control.close();
        assertThat(Files.exists(ControlServer.socketPath(data))).isFalse();
        assertThat(ControlClient.send(data, "PING")).isEmpty();
        Files.createFile(ControlServer.socketPath(data)); // a stale file: not a socket anyone listens on
        assertThat(ControlClient.send(data, "PING")).isEmpty();
    }
}
