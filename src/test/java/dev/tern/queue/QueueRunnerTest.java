package dev.tern.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.QueueSettings;
import dev.tern.delivery.Outcome;
import dev.tern.mail.QueueId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueRunnerTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final QueueSettings SETTINGS =
            new QueueSettings(Duration.ofMinutes(5), Duration.ofMinutes(20), Duration.ofHours(2));

    @TempDir
    Path data;

    private final ManualScheduler clock = new ManualScheduler(T0);
    private final ScriptedCourier courier = new ScriptedCourier();
    private final RecordingBounces bounces = new RecordingBounces();
    private final List<QueueRunner> runners = new ArrayList<>();

    @AfterEach
    void closeRunners() {
        runners.forEach(QueueRunner::close);
    }

    @Test
    void deliveredAtOnceLeavesNoFilesAndWritesNoState() throws Exception {
        FileSpool spool = new FileSpool(data);
        start(spool, SETTINGS);
        QueueId id = commit(spool, "a@x.example", "b@x.example");
        idle();
        assertThat(courier.calls()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(id.value());
            assertThat(c.recipients()).containsExactly("a@x.example", "b@x.example");
            assertThat(new String(c.content())).isEqualTo("Subject: test\r\n\r\nbody\r\n");
        });
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void deferredRecipientIsRetriedWithDoublingBackoffAndDeliveredOnesAreNot() throws Exception {
        courier.defer("b@x.example", 2);
        FileSpool spool = new FileSpool(data);
        QueueRunner runner = start(spool, SETTINGS);
        QueueId id = commit(spool, "a@x.example", "b@x.example");
        idle();

        QueuedMessage listed = runner.list().get(0);
        assertThat(listed.id()).isEqualTo(id);
        assertThat(listed.nextAttempt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(listed.recipients()).extracting(e -> e.state().status())
                .containsExactly(RecipientState.Status.DELIVERED, RecipientState.Status.DEFERRED);
        assertThat(listed.recipients().get(1).state().detail()).isEqualTo("try later 1");
        assertThat(spoolFiles()).containsExactly(id + ".msg", id + ".state");

        advance(Duration.ofMinutes(4).plusSeconds(59));
        assertThat(courier.calls()).hasSize(1);
        advance(Duration.ofSeconds(1));
        assertThat(courier.calls()).hasSize(2);
        assertThat(courier.calls().get(1).recipients()).containsExactly("b@x.example");
        assertThat(runner.list().get(0).nextAttempt()).isEqualTo(T0.plus(Duration.ofMinutes(5 + 10)));
        assertThat(runner.list().get(0).recipients().get(1).state().attempts()).isEqualTo(2);

        advance(Duration.ofMinutes(10));
        assertThat(courier.calls()).hasSize(3);
        assertThat(courier.calls().get(2).recipients()).containsExactly("b@x.example");
        assertThat(spoolFiles()).isEmpty();
        assertThat(runner.list()).isEmpty();
    }

    @Test
    void aMessageDeliveredAtOnceCostsOneDeletionItsMessageFile() throws Exception {
        FailingFileLayer files = new FailingFileLayer();
        FileSpool spool = new FileSpool(data, files);
        start(spool, SETTINGS);
        QueueId id = commit(spool, "a@x.example");
        idle();
        assertThat(courier.calls()).hasSize(1);
        // no state was written and a message under attempt is never held: neither file is asked for
        assertThat(files.deletions).containsExactly(id + ".msg");
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void aMessageDeliveredAfterADeferralDeletesItsStateToo() throws Exception {
        courier.defer("b@x.example", 1);
        FailingFileLayer files = new FailingFileLayer();
        FileSpool spool = new FileSpool(data, files);
        start(spool, SETTINGS);
        QueueId id = commit(spool, "b@x.example");
        idle();
        assertThat(spoolFiles()).containsExactly(id + ".msg", id + ".state");
        advance(Duration.ofMinutes(5));
        assertThat(courier.calls()).hasSize(2);
        assertThat(files.deletions).containsExactly(id + ".msg", id + ".state");
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void aStateFileFromAnEarlierRunIsDeletedWithItsMessage() throws Exception {
        courier.defer("b@x.example", 1);
        FileSpool before = new FileSpool(data);
        QueueRunner first = start(before, SETTINGS);
        QueueId id = commit(before, "b@x.example");
        idle();
        first.close();
        runners.remove(first);

        FailingFileLayer files = new FailingFileLayer();
        start(new FileSpool(data, files), SETTINGS);
        advance(Duration.ofMinutes(5));
        assertThat(courier.calls()).hasSize(2);
        assertThat(files.deletions).containsExactly(id + ".msg", id + ".state");
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void backoffDoublesUpToTheMaximum() {
        List<Duration> delays = new ArrayList<>();
        for (int attempt = 1; attempt <= 5; attempt++) {
            delays.add(DeliveryAttempt.backoff(SETTINGS, attempt));
        }
        assertThat(delays).extracting(Duration::toMinutes).containsExactly(5L, 10L, 20L, 20L, 20L);
    }

    @Test
    void aMailboxStillFullAtTheEndOfTheLifetimeBouncesAsFull() throws Exception {
        courier.defer("b@x.example", Integer.MAX_VALUE, "4.2.2");
        courier.defer("c@x.example", Integer.MAX_VALUE);
        QueueSettings shortLife = new QueueSettings(Duration.ofMinutes(10), Duration.ofHours(1),
                Duration.ofMinutes(30));
        FileSpool spool = new FileSpool(data);
        start(spool, shortLife);
        commit(spool, "b@x.example", "c@x.example");
        idle();
        advance(Duration.ofMinutes(10));
        advance(Duration.ofMinutes(20));
        assertThat(bounces.failures).extracting(o -> o.recipient().address().toString() + " " + o.enhancedCode())
                .containsExactlyInAnyOrder("b@x.example 5.2.2", "c@x.example 4.4.7");
    }

    @Test
    void recipientsStillDeferredAtTheEndOfTheLifetimeFail() throws Exception {
        courier.defer("b@x.example", Integer.MAX_VALUE);
        QueueSettings shortLife = new QueueSettings(Duration.ofMinutes(10), Duration.ofHours(1),
                Duration.ofMinutes(30));
        FileSpool spool = new FileSpool(data);
        start(spool, shortLife);
        commit(spool, "b@x.example");
        idle();
        advance(Duration.ofMinutes(10)); // second attempt; next would be +20 min = the lifetime
        advance(Duration.ofMinutes(19));
        assertThat(courier.calls()).hasSize(2);
        assertThat(bounces.failures).isEmpty();
        advance(Duration.ofMinutes(1));
        assertThat(courier.calls()).hasSize(2);
        assertThat(bounces.failures).singleElement().satisfies(o -> {
            assertThat(o.enhancedCode()).isEqualTo("4.4.7");
            assertThat(o.detail()).contains("expired after 30m").contains("try later 2");
        });
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void permanentFailureIsReportedOnceAndTheMessageRemoved() throws Exception {
        courier.fail("nobody@x.example");
        FileSpool spool = new FileSpool(data);
        start(spool, SETTINGS);
        commit(spool, "a@x.example", "nobody@x.example");
        idle();
        assertThat(bounces.failures).extracting(Outcome::enhancedCode).containsExactly("5.1.1");
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void restartKeepsStateAndNeverRetriesDeliveredRecipients() throws Exception {
        courier.defer("b@x.example", 1);
        FileSpool first = new FileSpool(data);
        QueueRunner runner = start(first, SETTINGS);
        QueueId id = commit(first, "a@x.example", "b@x.example");
        idle();
        runner.close();

        ManualScheduler later = clock;
        later.advance(Duration.ofMinutes(2));
        QueueRunner second = new QueueRunner(new FileSpool(data), courier, SETTINGS, later, bounces);
        runners.add(second);
        second.start();
        assertThat(second.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(courier.calls()).hasSize(1); // not due yet: the recorded next attempt is kept

        later.advance(Duration.ofMinutes(3));
        assertThat(second.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(courier.calls()).hasSize(2);
        assertThat(courier.calls().get(1).id()).isEqualTo(id.value());
        assertThat(courier.calls().get(1).recipients()).containsExactly("b@x.example");
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void committedMessagesFromAnEarlierRunAreDeliveredOnStart() throws Exception {
        FileSpool before = new FileSpool(data);
        QueueId id = commit(before, "a@x.example"); // accepted, then the process died before delivering
        Spool.Draft draft = before.create();
        draft.content().write("half a message".getBytes());
        draft.content().flush();

        FileSpool spool = new FileSpool(data);
        start(spool, SETTINGS);
        idle();
        assertThat(courier.calls()).extracting(ScriptedCourier.Call::id).containsExactly(id.value());
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void flushMakesDeferredMessagesDueNow() throws Exception {
        courier.defer("b@x.example", 1);
        FileSpool spool = new FileSpool(data);
        QueueRunner runner = start(spool, SETTINGS);
        commit(spool, "b@x.example");
        idle();
        assertThat(courier.calls()).hasSize(1);
        runner.flush();
        idle();
        assertThat(courier.calls()).hasSize(2);
        assertThat(spoolFiles()).isEmpty();
        assertThat(clock.pending()).isZero();
    }

    @Test
    void manyConcurrentSessionsAreAllDelivered() throws Exception {
        FileSpool spool = new FileSpool(data);
        start(spool, new QueueSettings(Duration.ofMinutes(5), Duration.ofMinutes(20), Duration.ofHours(2)));
        List<Thread> sessions = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String rcpt = "u" + i + "@x.example";
            sessions.add(Thread.ofVirtual().start(() -> {
                try {
                    commit(spool, rcpt);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        for (Thread t : sessions) {
            t.join();
        }
        idle();
        assertThat(courier.calls()).hasSize(50);
        assertThat(courier.calls()).extracting(c -> c.recipients().get(0)).doesNotHaveDuplicates();
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void courierThatThrowsDefersInsteadOfLosingTheMessage() throws Exception {
        FileSpool spool = new FileSpool(data);
        QueueRunner runner = new QueueRunner(spool, p -> {
            throw new IllegalStateException("boom");
        }, SETTINGS, clock, bounces);
        runners.add(runner);
        runner.start();
        commit(spool, "a@x.example");
        assertThat(runner.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(runner.list()).singleElement().satisfies(m ->
                assertThat(m.recipients().get(0).state().code()).isEqualTo("4.3.0"));
    }

    private QueueRunner start(FileSpool spool, QueueSettings settings) throws IOException {
        QueueRunner runner = new QueueRunner(spool, courier, settings, clock, bounces);
        runners.add(runner);
        runner.start();
        return runner;
    }

    private QueueId commit(FileSpool spool, String... recipients) throws IOException {
        try (Spool.Draft draft = spool.create()) {
            draft.content().write("Subject: test\r\n\r\nbody\r\n".getBytes());
            draft.commit(Envelopes.of(T0, "sender@y.example", recipients));
            return draft.id();
        }
    }

    private void advance(Duration d) throws InterruptedException {
        clock.advance(d);
        idle();
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

    private static final class RecordingBounces implements BounceSink {
        final List<Outcome> failures = new ArrayList<>();

        @Override
        public synchronized void failed(StoredMessage message, List<Outcome> list) {
            failures.addAll(list);
        }
    }
}
