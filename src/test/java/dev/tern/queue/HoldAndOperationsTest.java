package dev.tern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.config.QueueSettings;
import dev.tern.delivery.Outcome;
import dev.tern.mail.QueueId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HoldAndOperationsTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final QueueSettings SETTINGS =
            new QueueSettings(Duration.ofMinutes(5), Duration.ofMinutes(20), Duration.ofHours(2));

    @TempDir
    Path data;

    private final ManualScheduler clock = new ManualScheduler(T0);
    private final ScriptedCourier courier = new ScriptedCourier();
    private final List<Outcome> bounced = new ArrayList<>();
    private final BounceSink bounces = (message, failures) -> {
        synchronized (bounced) {
            bounced.addAll(failures);
        }
    };
    private final List<QueueRunner> runners = new ArrayList<>();

    @AfterEach
    void close() {
        runners.forEach(QueueRunner::close);
    }

    private QueueRunner start(FileSpool spool) throws IOException {
        QueueRunner runner = new QueueRunner(spool, courier, SETTINGS, clock, bounces);
        runners.add(runner);
        runner.start();
        return runner;
    }

    private QueueId commit(FileSpool spool, String holdReason, String... recipients) throws IOException {
        try (Spool.Draft draft = spool.create()) {
            draft.content().write("Subject: test\r\n\r\nbody\r\n".getBytes());
            if (holdReason != null) {
                draft.hold(holdReason);
            }
            draft.commit(Envelopes.of(T0, "sender@y.example", recipients));
            return draft.id();
        }
    }

    private void idle() throws InterruptedException {
        for (QueueRunner r : runners) {
            assertThat(r.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }
    }

    private List<String> spoolFiles() throws IOException {
        try (Stream<Path> s = Files.list(data.resolve("spool"))) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aHeldDraftIsCommittedButNeverAttemptedEvenAfterARestart() throws Exception {
        FileSpool spool = new FileSpool(data);
        QueueRunner runner = start(spool);
        QueueId id = commit(spool, "rule quarantine", "a@x.example");
        idle();
        assertThat(courier.calls()).isEmpty();
        assertThat(spoolFiles()).containsExactly(id + ".hold", id + ".msg");
        assertThat(runner.list()).singleElement().satisfies(m -> {
            assertThat(m.hold().reason()).isEqualTo("rule quarantine");
            assertThat(m.recipients().get(0).state().status()).isEqualTo(RecipientState.Status.PENDING);
        });
        runner.flush();
        idle();
        assertThat(courier.calls()).isEmpty();
        runner.close();

        FileSpool reopened = new FileSpool(data);
        QueueRunner second = start(reopened);
        idle();
        assertThat(courier.calls()).isEmpty();
        assertThat(reopened.hold(id)).hasValueSatisfying(h -> assertThat(h.reason()).isEqualTo("rule quarantine"));

        second.release(id);
        idle();
        assertThat(courier.calls()).extracting(ScriptedCourier.Call::id).containsExactly(id.value());
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void theOperatorHoldsADeferredMessageAndItsRetryNeverComes() throws Exception {
        courier.defer("a@x.example", 1);
        FileSpool spool = new FileSpool(data);
        QueueRunner runner = start(spool);
        QueueId id = commit(spool, null, "a@x.example");
        idle();
        runner.hold(id, "looks like spam");
        clock.advance(Duration.ofHours(1));
        idle();
        assertThat(courier.calls()).hasSize(1);
        assertThat(clock.pending()).isZero();
        assertThatThrownBy(() -> runner.flush(id)).isInstanceOf(QueueRefusedException.class).hasMessageContaining("held");

        runner.release(id);
        idle();
        assertThat(courier.calls()).hasSize(2);
        assertThat(spoolFiles()).isEmpty();
        assertThatThrownBy(() -> runner.release(id)).isInstanceOf(QueueRefusedException.class)
                .hasMessage("no such message: " + id);
    }

    @Test
    void deleteAndBounceTakeTheMessageOutOfTheRunner() throws Exception {
        courier.defer("a@x.example", 5).defer("b@x.example", 5);
        FileSpool spool = new FileSpool(data);
        QueueRunner runner = start(spool);
        QueueId first = commit(spool, null, "a@x.example");
        QueueId second = commit(spool, null, "a@x.example", "b@x.example");
        idle();
        runner.delete(first);
        assertThat(runner.bounce(second)).isEqualTo(2);
        assertThat(bounced).extracting(Outcome::enhancedCode).containsExactly("5.0.0", "5.0.0");
        assertThat(bounced).extracting(Outcome::detail).containsOnly("bounced by the operator");
        clock.advance(Duration.ofHours(1));
        idle();
        assertThat(courier.calls()).hasSize(2);
        assertThat(spoolFiles()).isEmpty();
        assertThatThrownBy(() -> runner.delete(first)).isInstanceOf(QueueRefusedException.class);
    }

    @Test
    void deleteAllEmptiesTheQueue() throws Exception {
        courier.defer("a@x.example", 5);
        FileSpool spool = new FileSpool(data);
        QueueRunner runner = start(spool);
        commit(spool, null, "a@x.example");
        commit(spool, "held", "a@x.example");
        idle();
        assertThat(runner.deleteAll()).isEqualTo(2);
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void aMessageCommittedByAnotherProcessIsTakenWhenAnnounced() throws Exception {
        FileSpool spool = new FileSpool(data);
        QueueRunner runner = start(spool);
        QueueId id = commit(FileSpool.shared(data), null, "a@x.example");
        idle();
        assertThat(courier.calls()).isEmpty();
        runner.enqueued(id);
        idle();
        assertThat(courier.calls()).extracting(ScriptedCourier.Call::id).containsExactly(id.value());
    }

    @Test
    void offlineEditsWorkWithoutARunnerAndFlushIsRefused() throws Exception {
        FileSpool spool = new FileSpool(data);
        QueueId id = commit(spool, null, "a@x.example");
        OfflineQueue offline = new OfflineQueue(FileSpool.shared(data), bounces, SETTINGS,
                Clock.fixed(T0, ZoneOffset.UTC));
        offline.hold(id, "operator");
        assertThat(spool.isHeld(id)).isTrue();
        offline.release(id);
        assertThat(spool.isHeld(id)).isFalse();
        assertThatThrownBy(offline::flush).isInstanceOf(QueueRefusedException.class).hasMessageContaining("no server");
        assertThat(offline.bounce(id)).isEqualTo(1);
        assertThat(bounced).extracting(Outcome::enhancedCode).containsExactly("5.0.0");
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void orphanHoldFilesAreRemovedAtStartAndTheLockIsExclusive() throws Exception {
        new FileSpool(data);
        Files.writeString(data.resolve("spool/1L8J9612M0MF4G.hold"), "tern-hold 1\n");
        new FileSpool(data);
        assertThat(spoolFiles()).isEmpty();

        try (SpoolLock lock = SpoolLock.acquire(data)) {
            assertThat(SpoolLock.tryAcquire(data)).isEmpty();
        }
        try (SpoolLock again = SpoolLock.tryAcquire(data).orElseThrow()) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void stateKeepsTheDelayWarning() throws IOException {
        DeliveryState state = DeliveryState.initial(2).withDelayWarned(T0);
        assertThat(StateCodec.decode(StateCodec.encode(state))).isEqualTo(state);
        assertThat(StateCodec.decode(StateCodec.encode(DeliveryState.initial(1))).delayWarned()).isNull();
    }
}
