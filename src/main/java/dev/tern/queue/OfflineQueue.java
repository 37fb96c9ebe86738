package dev.tern.queue;

import dev.tern.config.QueueSettings;
import dev.tern.delivery.Outcome;
import dev.tern.mail.QueueId;
import dev.tern.observe.MailLog;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@link QueueOperations} on the spool files while no server runs. Only safe when nothing else runs the queue:
 * the caller holds the {@link SpoolLock}. Nothing is attempted here; {@code flush} is refused.
 */
public final class OfflineQueue implements QueueOperations {

    private final FileSpool spool;
    private final DeliveryAttempt attempt;
    private final Supplier<Instant> clock;

    public OfflineQueue(FileSpool spool, BounceSink bounces, QueueSettings settings, Clock clock) {
        this(spool, bounces, settings, clock::instant);
    }

    /** Also the runner's file edits, which it makes while no attempt of the message runs. */
    OfflineQueue(FileSpool spool, BounceSink bounces, QueueSettings settings, Supplier<Instant> clock) {
        this.spool = spool;
        this.clock = clock;
        this.attempt = new DeliveryAttempt(spool, parcel -> parcel.recipients().stream()
                .map(r -> Outcome.deferred(r, "4.3.0", "no delivery while the server is stopped", "queue"))
                .toList(), settings, bounces);
    }

    @Override
    public int flush() throws IOException {
        throw new QueueRefusedException("no server is running: queued mail is attempted when it starts");
    }

    @Override
    public void flush(QueueId id) throws IOException {
        flush();
    }

    @Override
    public void delete(QueueId id) throws IOException {
        if (!spool.exists(id)) {
            throw QueueRefusedException.noSuchMessage(id);
        }
        spool.remove(id);
        MailLog.event(id.value(), "deleted").with("by", "operator").log();
    }

    @Override
    public int deleteAll() throws IOException {
        List<QueueId> ids = spool.committed();
        for (QueueId id : ids) {
            spool.remove(id);
            MailLog.event(id.value(), "deleted").with("by", "operator").log();
        }
        return ids.size();
    }

    @Override
    public void hold(QueueId id, String reason) throws IOException {
        try {
            spool.hold(id, new Hold(reason, clock.get()));
        } catch (NoSuchFileException e) {
            throw QueueRefusedException.noSuchMessage(id);
        }
        MailLog.event(id.value(), "held").with("reason", reason).with("by", "operator").log();
    }

    @Override
    public void release(QueueId id) throws IOException {
        if (!spool.exists(id)) {
            throw QueueRefusedException.noSuchMessage(id);
        }
        if (!spool.release(id)) {
            throw new QueueRefusedException("message " + id + " is not held");
        }
        MailLog.event(id.value(), "released").with("by", "operator").log();
    }

    @Override
    public int bounce(QueueId id) throws IOException {
        try {
            return attempt.failAll(id, BOUNCE_CODE, BOUNCE_TEXT, clock.get());
        } catch (NoSuchFileException e) {
            throw QueueRefusedException.noSuchMessage(id);
        }
    }

    @Override
    public void enqueued(QueueId id) {
        // found by the next server start
    }
}
