package dev.tern.queue;

import dev.tern.config.QueueSettings;
import dev.tern.delivery.Outcome;
import dev.tern.observe.MailLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells the {@link BounceSink} what an attempt did, before its outcome is recorded: failures (a failure notice
 * that cannot be queued keeps its recipients open, so a bounce is never lost), deliveries, and once per
 * message a delay warning.
 */
final class Notices {

    private final BounceSink sink;
    private final QueueSettings settings;

    Notices(BounceSink sink, QueueSettings settings) {
        this.sink = sink;
        this.settings = settings;
    }

    /** What one attempt did to each recipient it tried, by envelope index. */
    static final class Tally {
        final List<Integer> failedIndexes = new ArrayList<>();
        final List<Outcome> failed = new ArrayList<>();
        final List<Outcome> delivered = new ArrayList<>();
        final List<Outcome> deferred = new ArrayList<>();

        void add(int index, Outcome o, RecipientState.Status status) {
            switch (status) {
                case FAILED -> {
                    failedIndexes.add(index);
                    failed.add(o);
                }
                case DELIVERED -> delivered.add(o);
                default -> deferred.add(o);
            }
        }
    }

    /** Reports the attempt; returns the state to record (failed recipients reopened if their notice was lost). */
    DeliveryState report(StoredMessage message, DeliveryState next, Tally tally, Instant now, Instant expiry) {
        DeliveryState out = next;
        if (!tally.failed.isEmpty()) {
            try {
                failed(message, tally.failed);
            } catch (IOException e) {
                out = reopen(out, tally.failedIndexes, now);
            }
        }
        if (!tally.delivered.isEmpty()) {
            try {
                sink.delivered(message, tally.delivered);
            } catch (RuntimeException e) {
                MailLog.event(message.id().value(), "dsn-error").with("reason", e.toString()).warn();
            }
        }
        return warnIfDelayed(message, out, tally.deferred, now, expiry);
    }

    /**
     * Hands failures to the sink.
     *
     * @throws IOException when the sink could not queue the notice (it is logged here)
     */
    void failed(StoredMessage message, List<Outcome> failures) throws IOException {
        try {
            sink.failed(message, failures);
        } catch (UncheckedIOException e) {
            MailLog.event(message.id().value(), "bounce-error").with("reason", e.getMessage()).warn();
            throw e.getCause();
        } catch (RuntimeException e) {
            MailLog.event(message.id().value(), "bounce-error").with("reason", e.toString()).warn();
            throw new IOException("bounce failed: " + e, e);
        }
    }

    /** The failure stays unreported: try the recipients again after the usual delay, then report again. */
    private DeliveryState reopen(DeliveryState state, List<Integer> indexes, Instant now) {
        DeliveryState out = state;
        for (int index : indexes) {
            RecipientState failed = state.recipients().get(index);
            Instant retry = now.plus(DeliveryAttempt.backoff(settings, Math.max(1, failed.attempts())));
            out = out.with(index, new RecipientState(RecipientState.Status.DEFERRED, failed.attempts(), retry,
                    failed.code(), failed.detail() + " (the bounce could not be queued; retrying)"));
        }
        return out;
    }

    /** RFC 3464 "delayed": once per message, when it has waited the configured time and is still waiting. */
    private DeliveryState warnIfDelayed(StoredMessage message, DeliveryState state, List<Outcome> deferred,
                                        Instant now, Instant expiry) {
        Duration after = sink.delayWarning();
        Instant arrival = message.envelope().received();
        if (after.isZero() || deferred.isEmpty() || state.delayWarned() != null || arrival == null
                || now.isBefore(arrival.plus(after)) || state.finished()) {
            return state;
        }
        try {
            sink.delayed(message, deferred, expiry);
            return state.withDelayWarned(now);
        } catch (RuntimeException e) {
            MailLog.event(message.id().value(), "dsn-error").with("reason", e.toString()).warn();
            return state;
        }
    }
}
