package dev.tern.queue;

import dev.tern.config.QueueSettings;
import dev.tern.delivery.Courier;
import dev.tern.delivery.Outcome;
import dev.tern.delivery.Parcel;
import dev.tern.mail.Domain;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.mail.Recipient;
import dev.tern.observe.MailLog;
import dev.tern.observe.Metrics;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One delivery attempt of one message: ask the courier about the open recipients, merge the outcomes into
 * the delivery state, and make the result durable before anything else happens: delete the message when
 * nothing is open (no state file is ever written for a message finished at once), else write the state.
 */
final class DeliveryAttempt {

    private final FileSpool spool;
    private final Courier courier;
    private final QueueSettings settings;
    private final Notices notices;

    DeliveryAttempt(FileSpool spool, Courier courier, QueueSettings settings, BounceSink bounces) {
        this.spool = spool;
        this.courier = courier;
        this.settings = settings;
        this.notices = new Notices(bounces, settings);
    }

    /**
     * Runs one attempt.
     *
     * @param known the state from the previous attempt in this process, or null to read it from the spool
     * @return the state left open (its {@link DeliveryState#nextAttempt()} is when to try again), or null
     *         when the message is finished or gone
     */
    DeliveryState run(QueueId id, DeliveryState known, Instant now) throws IOException {
        StoredMessage message;
        try {
            message = spool.load(id);
        } catch (NoSuchFileException gone) {
            return null;
        } catch (CorruptSpoolException e) {
            MailLog.event(id.value(), "quarantined").with("reason", e.getMessage()).warn();
            spool.quarantine(id);
            return null;
        }
        Envelope envelope = message.envelope();
        // a state known from this process was written by record(); else the spool tells whether there is one
        Recorded recorded = known != null ? new Recorded(known, true) : readState(id, envelope.recipients().size());
        DeliveryState state = recorded.state();
        List<Integer> open = state.openIndexes();
        if (open.isEmpty()) {
            spool.removeFinished(id, recorded.onDisk());
            return null;
        }
        Instant arrival = envelope.received() != null ? envelope.received() : now;
        Instant expiry = arrival.plus(settings.lifetime());
        boolean expired = !now.isBefore(expiry);
        List<Recipient> recipients = open.stream().map(i -> envelope.recipients().get(i)).toList();
        List<Outcome> outcomes = expired ? expire(recipients, open, state)
                : attempt(new Parcel(id, envelope, recipients, message.content(), message.folder()));

        DeliveryState next = state;
        Notices.Tally tally = new Notices.Tally();
        for (int k = 0; k < open.size(); k++) {
            int index = open.get(k);
            Outcome o = outcomes.get(k);
            int attempts = state.recipients().get(index).attempts() + (expired ? 0 : 1);
            RecipientState updated = merge(o, attempts, now, expiry);
            next = next.with(index, updated);
            tally.add(index, o, updated.status());
            log(id, o, updated, Duration.between(arrival, now));
        }
        next = notices.report(message, next, tally, now, expiry);
        return record(id, next, recorded.onDisk());
    }

    /**
     * The operator's {@code tern queue bounce}: every open recipient fails now with {@code code} and
     * {@code detail}, the sender gets the usual notice, and the message is removed.
     *
     * @return how many recipients failed
     * @throws NoSuchFileException when the message is gone
     * @throws IOException when the notice cannot be queued; then nothing has changed
     */
    int failAll(QueueId id, String code, String detail, Instant now) throws IOException {
        StoredMessage message = spool.load(id);
        Envelope envelope = message.envelope();
        DeliveryState state = readState(id, envelope.recipients().size()).state();
        List<Integer> open = state.openIndexes();
        List<Outcome> failures = new ArrayList<>();
        for (int index : open) {
            Outcome o = Outcome.failed(envelope.recipients().get(index), code, detail, "operator");
            failures.add(o);
            log(id, o, new RecipientState(RecipientState.Status.FAILED, 0, null, code, detail),
                    Duration.between(envelope.received() != null ? envelope.received() : now, now));
        }
        if (!failures.isEmpty()) {
            notices.failed(message, failures);
        }
        spool.remove(id);
        return failures.size();
    }

    /**
     * Makes the outcome durable: delete a finished message (and its state file when {@code stateOnDisk}),
     * else write its state.
     */
    private DeliveryState record(QueueId id, DeliveryState next, boolean stateOnDisk) throws IOException {
        if (next.finished()) {
            spool.removeFinished(id, stateOnDisk);
            return null;
        }
        try {
            spool.saveState(id, next);
        } catch (IOException e) {
            // kept in memory: this process will not repeat what it did; a crash now may (duplicates, no loss)
            MailLog.event(id.value(), "state-write-failed").with("reason", e.getMessage()).warn();
        }
        return next;
    }

    /**
     * The state to go on from, and whether a state file exists: an unreadable one or one that does not fit
     * the envelope is not used but still exists, and goes with the message.
     */
    private Recorded readState(QueueId id, int recipients) throws IOException {
        try {
            DeliveryState s = spool.loadState(id).orElse(null);
            if (s == null) {
                return new Recorded(DeliveryState.initial(recipients), false);
            }
            if (s.recipients().size() == recipients) {
                return new Recorded(s, true);
            }
        } catch (IOException e) {
            MailLog.event(id.value(), "state-unreadable").with("reason", e.getMessage()).warn();
        }
        return new Recorded(DeliveryState.initial(recipients), true);
    }

    /** A delivery state and whether {@code <id>.state} may exist on disk. */
    private record Recorded(DeliveryState state, boolean onDisk) {
    }

    private List<Outcome> attempt(Parcel parcel) {
        int n = parcel.recipients().size();
        try {
            List<Outcome> outcomes = courier.deliver(parcel);
            if (outcomes != null && outcomes.size() == n) {
                return outcomes;
            }
            return allDeferred(parcel.recipients(), "courier gave " + (outcomes == null ? 0 : outcomes.size())
                    + " outcomes for " + n + " recipients");
        } catch (RuntimeException e) {
            MailLog.event(parcel.id().value(), "courier-error").with("reason", e.toString()).warn();
            return allDeferred(parcel.recipients(), "internal error during delivery");
        }
    }

    private static List<Outcome> allDeferred(List<Recipient> recipients, String detail) {
        return recipients.stream().map(r -> Outcome.deferred(r, "4.3.0", detail, "queue")).toList();
    }

    /**
     * RFC 3463 X.4.7: delivery time expired; the last error tells why it never went through. A mailbox still
     * full at the end is reported as what it is, 5.2.2 (RFC 3463 X.2.2), as Postfix and Dovecot's LDA do.
     */
    private List<Outcome> expire(List<Recipient> recipients, List<Integer> open, DeliveryState state) {
        List<Outcome> out = new ArrayList<>();
        for (int k = 0; k < recipients.size(); k++) {
            RecipientState previous = state.recipients().get(open.get(k));
            String last = previous.detail();
            String code = previous.code() != null && previous.code().endsWith(".2.2") ? "5.2.2" : "4.4.7";
            out.add(Outcome.failed(recipients.get(k), code, "message expired after "
                    + human(settings.lifetime()) + " in queue" + (last == null ? "" : "; last error: " + last), "queue"));
        }
        return out;
    }

    /** 5d, 4h, 30m or 90s: how an operator writes a lifetime. */
    static String human(Duration d) {
        long s = d.toSeconds();
        if (s > 0 && s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s > 0 && s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        return s > 0 && s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    private RecipientState merge(Outcome o, int attempts, Instant now, Instant expiry) {
        return switch (o.status()) {
            case DELIVERED -> new RecipientState(RecipientState.Status.DELIVERED, attempts, null,
                    o.enhancedCode(), o.where());
            case FAILED -> new RecipientState(RecipientState.Status.FAILED, attempts, null,
                    o.enhancedCode(), o.detail());
            case DEFERRED -> {
                Instant retry = now.plus(backoff(settings, attempts));
                yield new RecipientState(RecipientState.Status.DEFERRED, attempts,
                        retry.isBefore(expiry) ? retry : expiry, o.enhancedCode(), o.detail());
            }
        };
    }

    /** The wait after the n-th failed attempt: {@code retryInitial * 2^(n-1)}, at most {@code retryMax}. */
    static Duration backoff(QueueSettings settings, int attempts) {
        Duration delay = settings.retryInitial();
        for (int i = 1; i < attempts && delay.compareTo(settings.retryMax()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : delay;
    }

    /** For the metrics: deferrals by destination domain, deliveries by their delay since arrival. */
    private static void count(Outcome o, RecipientState s, Duration delay) {
        Metrics.Delivery result = switch (s.status()) {
            case DELIVERED -> Metrics.Delivery.DELIVERED;
            case FAILED -> Metrics.Delivery.BOUNCED;
            default -> Metrics.Delivery.DEFERRED;
        };
        Domain domain = o.recipient().address().domain();
        Metrics.get().delivery(result, result == Metrics.Delivery.DEFERRED && domain != null ? domain.key() : null,
                delay);
    }

    static void log(QueueId id, Outcome o, RecipientState s, Duration delay) {
        String event = switch (s.status()) {
            case DELIVERED -> "delivered";
            case FAILED -> "failed";
            default -> "deferred";
        };
        count(o, s, delay);
        MailLog.event(id.value(), event).address("to", o.recipient().address()).with("where", o.where())
                .with("status", o.enhancedCode())
                .with("delay", String.format(Locale.ROOT, "%.2fs", delay.toMillis() / 1000.0))
                .with("attempts", s.attempts())
                .with("reason", s.status() == RecipientState.Status.DELIVERED ? null : o.detail())
                .log();
    }
}
