package dev.tern.queue.dsn;

import dev.tern.config.BounceSettings;
import dev.tern.delivery.Outcome;
import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.mail.Envelope;
import dev.tern.mail.Recipient;
import dev.tern.observe.MailLog;
import dev.tern.queue.BounceSink;
import dev.tern.queue.Spool;
import dev.tern.queue.StoredMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The production {@link BounceSink}: one delivery status notification per message and kind, with every
 * recipient of the attempt together, committed to the spool (so it is queued and delivered like any mail)
 * with the null reverse-path {@code <>} (RFC 5321 §4.5.5) before the queue records the outcome.
 *
 * <p>NOTIFY (RFC 3461 §4.1): {@code NEVER} gets nothing; a recipient whose NOTIFY is given without
 * {@code FAILURE} gets no failure notice; {@code SUCCESS} gets a success notice ("delivered" for a mailbox
 * here, "relayed" when handed to another server, since the queue does not know whether that server honours
 * DSN); delay warnings go to recipients with {@code DELAY} or no NOTIFY.
 *
 * <p>Success notices only for our users by default ({@code [bounce] success_notices}): a client of the MX may name
 * anyone as its sender, and {@code NOTIFY=SUCCESS} on every recipient would make us mail that victim once per
 * recipient (backscatter). Whether the sender was ours is decided here, from what the envelope recorded at
 * acceptance (an authenticated user, or a trusted network), not from today's configuration. Failure notices are
 * sent to anyone: RFC 5321 §6.1 requires them once a message is accepted. Delay warnings are off by default.
 *
 * <p>Never a notice to the null sender: a notice that fails is reported once to the postmaster (a "double
 * bounce"), and a failure to deliver to the postmaster is only logged, so notices cannot loop.
 *
 * <p>REQUIRETLS (RFC 8689 §5): every notice about a message received with REQUIRETLS, whatever went wrong, is sent
 * with REQUIRETLS too and returns only the original's headers ({@link DsnComposer}). Its reverse-path is empty, so
 * §5 asks the courier not to drop it where the way back does not offer REQUIRETLS. A message that said
 * {@code TLS-Required: No} gets notices that say so too (in their envelope): §6 asks whoever reoriginates a message,
 * a delivery notification included, to carry the sender's request over in both directions.
 */
public final class DsnSink implements BounceSink {

    private final Spool spool;
    private final DsnComposer composer;
    private final Address postmaster;
    private final Predicate<Domain> local;
    private final BounceSettings settings;
    private final Clock clock;

    /**
     * @param spool      where notices are committed (they are handed to the runner like any new message)
     * @param hostname   this server's name: Reporting-MTA, {@code MAILER-DAEMON@hostname}, Message-ID
     * @param postmaster who gets failed bounces, {@code postmaster@<first local domain>}
     * @param local      whether a recipient domain is delivered here (else a delivery is "relayed")
     */
    public DsnSink(Spool spool, String hostname, Address postmaster, Predicate<Domain> local,
                   BounceSettings settings, Clock clock) {
        this.spool = spool;
        this.composer = new DsnComposer(hostname, settings.maxReturnedSize());
        this.postmaster = postmaster;
        this.local = local;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Duration delayWarning() {
        return settings.delayWarning();
    }

    @Override
    public void failed(StoredMessage message, List<Outcome> failures) {
        Instant now = clock.instant();
        if (message.envelope().sender().isNull()) {
            doubleBounce(message, failures, now);
            return;
        }
        List<ReportedRecipient> reported = new ArrayList<>();
        for (Outcome o : failures) {
            if (wants(o.recipient(), Recipient.Notify.FAILURE, true)) {
                reported.add(report(o, Action.FAILED, now, null));
            }
        }
        if (reported.isEmpty()) {
            MailLog.event(message.id().value(), "bounce-suppressed").with("reason", "NOTIFY").log();
            return;
        }
        send(new Notice(message, message.envelope().sender(), Notice.Kind.FAILURE, reported), now);
    }

    @Override
    public void delivered(StoredMessage message, List<Outcome> delivered) {
        Instant now = clock.instant();
        if (!successNoticeAllowed(message.envelope())) {
            boolean asked = delivered.stream().anyMatch(o -> wants(o.recipient(), Recipient.Notify.SUCCESS, false));
            if (asked && !message.envelope().sender().isNull()) {
                MailLog.event(message.id().value(), "dsn-suppressed").with("kind", "success")
                        .with("reason", "success_notices=" + settings.successNotices().name().toLowerCase(
                                java.util.Locale.ROOT)).address("from", message.envelope().sender()).log();
            }
            return;
        }
        List<ReportedRecipient> reported = new ArrayList<>();
        for (Outcome o : delivered) {
            if (wants(o.recipient(), Recipient.Notify.SUCCESS, false)) {
                boolean here = local.test(o.recipient().address().domain());
                reported.add(report(o, here ? Action.DELIVERED : Action.RELAYED, now, null));
            }
        }
        if (!reported.isEmpty() && !message.envelope().sender().isNull()) {
            send(new Notice(message, message.envelope().sender(), Notice.Kind.SUCCESS, reported), now);
        }
    }

    @Override
    public void delayed(StoredMessage message, List<Outcome> deferred, Instant retryUntil) {
        Instant now = clock.instant();
        List<ReportedRecipient> reported = new ArrayList<>();
        for (Outcome o : deferred) {
            if (wants(o.recipient(), Recipient.Notify.DELAY, true)) {
                reported.add(report(o, Action.DELAYED, now, retryUntil));
            }
        }
        if (!reported.isEmpty() && !message.envelope().sender().isNull()) {
            send(new Notice(message, message.envelope().sender(), Notice.Kind.DELAY, reported), now);
        }
    }

    private boolean successNoticeAllowed(Envelope envelope) {
        return switch (settings.successNotices()) {
            case ALL -> true;
            case NONE -> false;
            case AUTHENTICATED -> envelope.fromOurUser();
        };
    }

    /** RFC 3461 §4.1: without NOTIFY, failures (and, by our choice, delays) are reported; NEVER means none. */
    private static boolean wants(Recipient r, Recipient.Notify kind, boolean byDefault) {
        if (r.notifyOn().isEmpty()) {
            return byDefault;
        }
        return !r.notifyOn().contains(Recipient.Notify.NEVER) && r.notifyOn().contains(kind);
    }

    /** A notice that could not be delivered: one copy to the postmaster, unless it was for the postmaster. */
    private void doubleBounce(StoredMessage message, List<Outcome> failures, Instant now) {
        List<ReportedRecipient> reported = new ArrayList<>();
        for (Outcome o : failures) {
            if (!o.recipient().address().key().equals(postmaster.key())) {
                reported.add(report(o, Action.FAILED, now, null));
            }
        }
        if (reported.isEmpty()) {
            MailLog.event(message.id().value(), "double-bounce-dropped")
                    .address("to", failures.get(0).recipient().address()).warn();
            return;
        }
        send(new Notice(message, postmaster, Notice.Kind.POSTMASTER_COPY, reported), now);
    }

    private ReportedRecipient report(Outcome o, Action action, Instant now, Instant retryUntil) {
        boolean here = o.recipient().address().isNull() || local.test(o.recipient().address().domain());
        String remote = here ? null : RemoteHost.of(o.where());
        String diagnostic = action == Action.DELIVERED || action == Action.RELAYED ? null : o.detail();
        String status = action == Action.DELIVERED || action == Action.RELAYED ? "2.0.0" : o.enhancedCode();
        return new ReportedRecipient(o.recipient(), action, status, remote, diagnostic, now, retryUntil);
    }

    /** Composes and commits the notice; throws (unchecked) when it cannot be made durable. */
    private void send(Notice notice, Instant now) {
        String original = notice.original().id().value();
        try (Spool.Draft draft = spool.create()) {
            DsnComposer.Composed dsn = composer.compose(notice, draft.id(), now);
            draft.content().write(dsn.content());
            draft.content().flush();
            // RFC 8689 §5, §6: a notice travels under the original's request, REQUIRETLS or TLS-Required: No
            Envelope envelope = new Envelope(Address.NULL, List.of(Recipient.of(notice.to())),
                    dsn.eightBit() ? Envelope.BodyType.EIGHT_BIT_MIME : Envelope.BodyType.SEVEN_BIT, dsn.utf8(),
                    null, null, null, null, null, now).withRequireTls(notice.original().envelope().requireTls())
                    .withTlsOptional(notice.original().envelope().tlsOptional());
            draft.commit(envelope);
            String event = notice.kind() == Notice.Kind.FAILURE || notice.kind() == Notice.Kind.POSTMASTER_COPY
                    ? "bounced" : "dsn";
            MailLog.event(original, event).address("to", notice.to()).with("dsn", draft.id().value())
                    .with("action", notice.recipients().get(0).action().keyword())
                    .with("rcpts", notice.recipients().size()).log();
            MailLog.event(draft.id().value(), "dsn").with("from", "<>").address("to", notice.to())
                    .with("orig", original).with("kind", notice.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .with("size", dsn.content().length).log();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot queue the notice for " + original + ": " + e.getMessage(), e);
        }
    }
}
