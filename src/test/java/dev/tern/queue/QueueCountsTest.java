package dev.tern.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.QueueSettings;
import dev.tern.mail.QueueId;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link QueueRunner#counts}: what {@code tern status} and the queue gauges report. */
class QueueCountsTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final QueueSettings SETTINGS =
            new QueueSettings(Duration.ofMinutes(5), Duration.ofMinutes(20), Duration.ofHours(2));

    @TempDir
    Path data;

    private final ManualScheduler clock = new ManualScheduler(T0);
    private final ScriptedCourier courier = new ScriptedCourier();
    private QueueRunner runner;

    @AfterEach
    void close() {
        if (runner != null) {
            runner.close();
        }
    }

    private static QueueId commit(FileSpool spool, String holdReason, String recipient) throws IOException {
        try (Spool.Draft draft = spool.create()) {
            draft.content().write("Subject: test\r\n\r\nbody\r\n".getBytes());
            if (holdReason != null) {
                draft.hold(holdReason);
            }
            draft.commit(Envelopes.of(T0, "sender@y.example", recipient));
            return draft.id();
        }
    }

    @Test
    void deferredHeldAndTheOldestArrival() throws Exception {
        FileSpool spool = new FileSpool(data);
        runner = new QueueRunner(spool, courier, SETTINGS, clock, (message, failures) -> { });
        runner.start();
        assertThat(runner.counts()).isEqualTo(new QueueCounts(0, 0, 0, null));

        courier.defer("later@x.example", 5);
        Instant before = Instant.now().minusSeconds(1);
        QueueId first = commit(spool, null, "later@x.example");
        commit(spool, "rule quarantine", "held@x.example");
        commit(spool, null, "now@x.example"); // delivered at once, gone from the queue
        assertThat(runner.awaitIdle(Duration.ofSeconds(10))).isTrue();

        QueueCounts counts = runner.counts();
        assertThat(counts.deferred()).isEqualTo(1);
        assertThat(counts.held()).isEqualTo(1);
        assertThat(counts.active()).isZero();
        assertThat(counts.total()).isEqualTo(2);
        assertThat(counts.oldest()).isEqualTo(first.created().orElseThrow())
                .isBetween(before, Instant.now().plusSeconds(1));
    }
}
