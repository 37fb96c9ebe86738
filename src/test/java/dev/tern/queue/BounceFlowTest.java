package dev.tern.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.BounceSettings;
import dev.tern.config.QueueSettings;
import dev.tern.delivery.Courier;
import dev.tern.delivery.Outcome;
import dev.tern.delivery.Parcel;
import dev.tern.mail.Address;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.mail.Recipient;
import dev.tern.queue.dsn.DsnSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue and the DSN sink together: notices are queued, delivered, and never loop. */
class BounceFlowTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final QueueSettings SETTINGS =
            new QueueSettings(Duration.ofMinutes(5), Duration.ofMinutes(20), Duration.ofHours(8));
    private static final Address POSTMASTER = Envelopes.address("postmaster@local.test");

    @TempDir
    Path data;

    private final ManualScheduler clock = new ManualScheduler(T0);
    private final List<Parcel> attempts = new ArrayList<>();
    private final List<QueueRunner> runners = new ArrayList<>();

    @AfterEach
    void close() {
        runners.forEach(QueueRunner::close);
    }

    /** A courier answering each recipient with {@code answer}, recording every parcel. */
    private Courier courier(Function<Recipient, Outcome> answer) {
        return parcel -> {
            synchronized (attempts) {
                attempts.add(parcel);
            }
            return parcel.recipients().stream().map(answer).toList();
        };
    }

    private QueueRunner start(FileSpool spool, Courier courier, BounceSink sink) throws IOException {
        QueueRunner runner = new QueueRunner(spool, courier, SETTINGS, clock, sink);
        runners.add(runner);
        runner.start();
        return runner;
    }

    private DsnSink sink(FileSpool spool, Duration delayWarning) {
        return new DsnSink(spool, "mx.test", POSTMASTER, d -> d.key().equals("local.test"),
                new BounceSettings(delayWarning, 1 << 20), new Clock() {
                    @Override
                    public Instant instant() {
                        return clock.now();
                    }

                    @Override
                    public java.time.ZoneId getZone() {
                        return ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(java.time.ZoneId zone) {
                        return this;
                    }
                });
    }

    private QueueId commit(FileSpool spool, String sender, Recipient... recipients) throws IOException {
        return commit(spool, sender, null, recipients);
    }

    private QueueId commit(FileSpool spool, String sender, String authUser, Recipient... recipients)
            throws IOException {
        try (Spool.Draft draft = spool.create()) {
            draft.content().write("Subject: test\r\n\r\nbody\r\n".getBytes());
            draft.commit(new Envelope(Envelopes.address(sender), List.of(recipients), Envelope.BodyType.SEVEN_BIT,
                    false, null, null, "client.example", "192.0.2.1", authUser, T0));
            return draft.id();
        }
    }

    private void idle() throws InterruptedException {
        for (QueueRunner r : runners) {
            assertThat(r.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }
    }

    private List<String> attempted() {
        synchronized (attempts) {
            return attempts.stream().map(p -> (p.envelope().sender().isNull() ? "<>" : p.envelope().sender())
                    + " -> " + p.recipients().get(0).address()).toList();
        }
    }

    @Test
    void aBounceThatFailsGoesOnceToThePostmasterAndNoFurther() throws Exception {
        FileSpool spool = new FileSpool(data);
        start(spool, courier(r -> Outcome.failed(r, "5.1.1", "no such user", "local")), sink(spool, Duration.ZERO));
        commit(spool, "alice@example.org", Recipient.of(Envelopes.address("nobody@local.test")));
        idle();
        assertThat(attempted()).containsExactly("alice@example.org -> nobody@local.test",
                "<> -> alice@example.org", "<> -> postmaster@local.test");
        assertThat(spool.committed()).isEmpty();
    }

    @Test
    void aDelayWarningIsSentOnceEvenAcrossARestart() throws Exception {
        AtomicBoolean deliver = new AtomicBoolean();
        Courier courier = courier(r -> r.address().toString().equals("bob@example.net") && !deliver.get()
                ? Outcome.deferred(r, "4.4.1", "connection timed out", "mx.example.net")
                : Outcome.delivered(r, "local.test/alice"));
        FileSpool spool = new FileSpool(data);
        QueueRunner runner = start(spool, courier, sink(spool, Duration.ofMinutes(30)));
        QueueId id = commit(spool, "alice@local.test",
                new Recipient(Envelopes.address("bob@example.net"), Set.of(Recipient.Notify.DELAY), null));
        idle();
        for (int i = 0; i < 3; i++) { // 5, 15, 35 minutes: the third attempt is past the warning time
            clock.advance(Duration.ofMinutes(20));
            idle();
        }
        assertThat(attempted()).filteredOn(a -> a.startsWith("<>")).containsExactly("<> -> alice@local.test");
        assertThat(spool.loadState(id).orElseThrow().delayWarned()).isNotNull();
        runner.close();

        FileSpool reopened = new FileSpool(data);
        start(reopened, courier, sink(reopened, Duration.ofMinutes(30)));
        clock.advance(Duration.ofMinutes(20));
        idle();
        assertThat(attempted()).filteredOn(a -> a.startsWith("<>")).hasSize(1);
        deliver.set(true);
        clock.advance(Duration.ofMinutes(20));
        idle();
        assertThat(reopened.committed()).isEmpty();
    }

    @Test
    void noDelayWarningWhenNotifyLacksDelayOrWarningsAreOff() throws Exception {
        Courier courier = courier(r -> Outcome.deferred(r, "4.4.1", "timeout", "mx.example.net"));
        FileSpool spool = new FileSpool(data);
        start(spool, courier, sink(spool, Duration.ofMinutes(1)));
        commit(spool, "alice@local.test",
                new Recipient(Envelopes.address("bob@example.net"), Set.of(Recipient.Notify.FAILURE), null));
        FileSpool other = new FileSpool(data.resolve("other"));
        start(other, courier, sink(other, Duration.ZERO));
        commit(other, "alice@local.test", Recipient.of(Envelopes.address("carol@example.net")));
        idle();
        clock.advance(Duration.ofMinutes(5));
        idle();
        assertThat(attempted()).noneMatch(a -> a.startsWith("<>"));
    }

    @Test
    void notifySuccessSendsADeliveredNotice() throws Exception {
        FileSpool spool = new FileSpool(data);
        start(spool, courier(r -> Outcome.delivered(r, "local.test/x")), sink(spool, Duration.ZERO));
        commit(spool, "alice@example.org", "alice@example.org",
                new Recipient(Envelopes.address("bob@local.test"), Set.of(Recipient.Notify.SUCCESS), null),
                Recipient.of(Envelopes.address("carol@local.test")));
        idle();
        assertThat(attempted()).containsExactly("alice@example.org -> bob@local.test", "<> -> alice@example.org");
    }

    @Test
    void aBounceThatCannotBeQueuedKeepsTheRecipientOpen() throws Exception {
        AtomicBoolean diskFull = new AtomicBoolean(true);
        List<Outcome> reported = new ArrayList<>();
        BounceSink sink = (message, failures) -> {
            if (diskFull.get()) {
                throw new UncheckedIOException(new IOException("no space left on device"));
            }
            reported.addAll(failures);
        };
        FileSpool spool = new FileSpool(data);
        start(spool, courier(r -> Outcome.failed(r, "5.1.1", "no such user", "local")), sink);
        QueueId id = commit(spool, "alice@example.org", Recipient.of(Envelopes.address("nobody@local.test")));
        idle();
        assertThat(reported).isEmpty();
        RecipientState open = spool.loadState(id).orElseThrow().recipients().get(0);
        assertThat(open.status()).isEqualTo(RecipientState.Status.DEFERRED);
        assertThat(open.detail()).contains("no such user", "bounce could not be queued");

        diskFull.set(false);
        clock.advance(Duration.ofMinutes(5));
        idle();
        assertThat(reported).extracting(Outcome::enhancedCode).containsExactly("5.1.1");
        assertThat(spool.committed()).isEmpty();
    }
}
