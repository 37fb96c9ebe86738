package dev.tern.smtp.server;

import dev.tern.config.SmtpLimits;
import dev.tern.mail.Envelope;
import dev.tern.mail.Recipient;
import dev.tern.mail.TraceHeader;
import dev.tern.observe.MailLog;
import dev.tern.observe.Metrics;
import dev.tern.queue.Spool;
import dev.tern.smtp.protocol.HeaderScanner;
import dev.tern.smtp.protocol.MessageReader;
import dev.tern.smtp.protocol.Replies;
import dev.tern.smtp.protocol.Reply;
import dev.tern.tls.TlsSession;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DATA (RFC 5321 §4.1.1.4) and BDAT (RFC 3030) for a {@link Session}: the content goes straight into a spool
 * draft behind our {@code Received:} header, and the 250 is sent only after the spool says it is durable
 * (invariant 1). Whatever the content does wrong, it is read to its real end before the reply.
 */
final class MessageReception {

    private static final Logger LOG = LoggerFactory.getLogger(MessageReception.class);

    private final SessionSettings settings;
    private final Spool spool;
    private final ReadDeadlines deadlines;
    private final Conversation conversation;
    private final SessionState state;
    private final AuthenticationStep authentication;
    private final MilterStep milters;
    /** The header limits of the message being received (one at a time per session); set with its sink. */
    private HeaderScanner header;

    MessageReception(SessionSettings settings, Spool spool, ReadDeadlines deadlines, Conversation conversation,
                     SessionState state, MilterStep milters) {
        this.settings = settings;
        this.spool = spool;
        this.deadlines = deadlines;
        this.conversation = conversation;
        this.state = state;
        this.authentication = new AuthenticationStep(settings, conversation, state, milters);
        this.milters = milters;
    }

    Reply data() throws IOException {
        Transaction tx = state.transaction();
        Reply refusal = checkReady(tx);
        if (refusal != null) {
            return refusal;
        }
        if (tx.options.body() == Envelope.BodyType.BINARY_MIME) {
            return Reply.of(503, "5.5.1", "BODY=BINARYMIME requires BDAT (RFC 3030 §3)");
        }
        if (tx.draft != null) {
            return Reply.of(503, "5.5.1", "DATA cannot follow BDAT (RFC 3030 §3)");
        }
        Spool.Draft draft;
        try {
            draft = openDraft(tx);
        } catch (IOException e) {
            return spoolFailure(tx, e);
        }
        Reply refused = milters.data(tx);
        if (refused != null) {
            state.endTransaction();
            return refused;
        }
        conversation.send(Replies.START_DATA);
        conversation.flush();
        deadlines.data();
        MessageReader reader = newReader(contentSink(tx), MessageReader.Mode.DATA);
        if (!reader.readData(conversation.in())) {
            throw new IOException("connection lost during DATA");
        }
        return finish(tx, reader);
    }

    Reply bdat(long size, boolean last) throws IOException {
        Transaction tx = state.transaction();
        Reply refusal = checkReady(tx);
        if (refusal == null && tx.draft == null) {
            try {
                openDraft(tx);
                refusal = milters.data(tx);
                tx.reader = newReader(contentSink(tx), tx.options.body() == Envelope.BodyType.BINARY_MIME
                        ? MessageReader.Mode.BINARY_CHUNKS : MessageReader.Mode.TEXT_CHUNKS);
            } catch (IOException e) {
                refusal = spoolFailure(tx, e);
            }
        }
        deadlines.data();
        if (refusal != null) {
            discard(size); // RFC 3030 §2: the chunk is read even when refused, to stay in step
            state.endTransaction();
            return refusal;
        }
        if (!tx.reader.readChunk(conversation.in(), size, last)) {
            throw new IOException("connection lost during BDAT");
        }
        if (last) {
            return finish(tx, tx.reader);
        }
        if (tx.reader.problem() != MessageReader.Problem.NONE || header.problem() != HeaderScanner.Problem.NONE) {
            return finish(tx, tx.reader);
        }
        return Reply.of(250, "2.0.0", size + " octets received");
    }

    private Reply checkReady(Transaction tx) {
        if (tx == null) {
            return state.helo() == null ? Replies.SEND_HELO_FIRST : Replies.NEED_MAIL;
        }
        if (tx.recipients.isEmpty()) {
            return tx.recipientRefused ? Replies.NO_VALID_RECIPIENTS : Replies.NEED_RCPT;
        }
        return null;
    }

    private Spool.Draft openDraft(Transaction tx) throws IOException {
        Spool.Draft draft = spool.create();
        tx.draft = draft;
        TlsSession tls = conversation.tls();
        String header = TraceHeader.received(state.helo(), conversation.clientAddress(), settings.hostname(),
                TraceHeader.protocol(state.extended(), tls != null, state.authUser() != null, tx.options.smtputf8()),
                tls == null ? null : tls.receivedComment(), draft.id(),
                tx.recipients.size() == 1 ? tx.recipients.get(0).address() : null,
                ZonedDateTime.now(settings.clock()));
        draft.content().write(header.getBytes(StandardCharsets.UTF_8));
        authentication.begin(tx);
        return draft;
    }

    /**
     * Where the message text goes: the draft, through the RFC 6409 fix-ups on submission listeners, behind the
     * {@link HeaderScanner} that bounds the header as the client sent it (our own fields are not counted).
     */
    private OutputStream contentSink(Transaction tx) {
        OutputStream sink = tx.draft.content();
        if (settings.isSubmission()) {
            ZonedDateTime now = ZonedDateTime.now(settings.clock());
            tx.fixups = new SubmissionFixups(sink, TraceHeader.date(now),
                    "<" + tx.draft.id() + "@" + settings.hostname() + ">");
            sink = tx.fixups;
        }
        header = new HeaderScanner(sink, limits().maxHeaderSize(), limits().maxReceivedHeaders());
        return header;
    }

    private MessageReader newReader(OutputStream sink, MessageReader.Mode mode) {
        // Our own users and trusted networks may end lines with LF alone (typed by hand); the world may not.
        boolean mayEndLinesWithLf = state.mayRelay();
        return new MessageReader(sink, mode, limits().maxMessageSize(), limits().maxTextLine(),
                limits().bareLineEndings() == SmtpLimits.BareLineEndings.NORMALIZE, mayEndLinesWithLf);
    }

    /** The end of a message, counted for the metrics by its reply's class. */
    private Reply finish(Transaction tx, MessageReader reader) {
        Reply reply = decide(tx, reader);
        Metrics.get().received(reply.code() < 300 ? Metrics.Reception.ACCEPTED
                : reply.code() < 500 ? Metrics.Reception.DEFERRED : Metrics.Reception.REJECTED);
        return reply;
    }

    /** The end of a message: refuse it for what the reader found, or make it durable and say 250. */
    private Reply decide(Transaction tx, MessageReader reader) {
        Reply refusal = refusalFor(reader, tx);
        if (refusal != null) {
            MailLog.event(tx.draft.id().value(), "rejected").with("client", conversation.clientAddress())
                    .with("stage", "DATA").address("from", tx.sender).with("size", reader.size())
                    .with("reply", refusal.summary()).log();
            state.endTransaction();
            return refusal;
        }
        Spool.Draft draft = tx.draft;
        Envelope envelope;
        try {
            if (tx.fixups != null) {
                tx.fixups.finish();
            }
            tx.tlsRequiredField = header.tlsRequiredFields() > 0;
            Reply refused = authenticate(tx, draft, reader);
            if (refused != null) {
                return refused;
            }
            String id = draft.id().value();
            List<Recipient> recipients = MilterStep.recipients(tx, tx.recipients, id);
            if (tx.milterDiscard || recipients.isEmpty()) {
                return discarded(tx, reader, tx.milterDiscard ? "milter" : "milters removed every recipient");
            }
            // RFC 8689 §4.1: REQUIRETLS on MAIL FROM, else TLS-Required: No in the header (the envelope keeps one)
            envelope = new Envelope(MilterStep.sender(tx, tx.sender, id), recipients, tx.options.body(),
                    tx.options.smtputf8(), tx.options.ret(), tx.options.envid(), state.helo(),
                    conversation.clientAddress(), state.authUser(), state.trusted(), settings.clock().instant(),
                    tx.options.requireTls(), tx.tlsOptional);
            if (tx.holdReason == null && tx.milterEnd != null && tx.milterEnd.quarantine() != null) {
                tx.holdReason = tx.milterEnd.quarantine(); // SMFIR_QUARANTINE: Postfix's hold queue, ours
            }
            if (tx.holdReason != null) {
                draft.hold(tx.holdReason); // a filter rule: queued durably, delivered only once released
            }
            draft.commit(envelope);
        } catch (IOException e) {
            Reply reply = spoolFailure(tx, e);
            state.endTransaction();
            return reply;
        }
        tx.draft = null;
        state.committed();
        TlsSession tls = conversation.tls();
        MailLog.Line line = MailLog.event(draft.id().value(), "accepted").with("client", conversation.clientAddress())
                .with("helo", state.helo()).with("user", state.authUser()).address("from", tx.sender)
                .with("rcpts", tx.recipients.size()).with("size", reader.size()).with("body", tx.options.body().keyword())
                .with("tls", tls == null ? null : tls.logValue())
                .with("requiretls", envelope.requireTls() ? "yes" : null)
                .with("tls-required", envelope.tlsOptional() ? "no" : null)
                .with("held", tx.holdReason);
        AuthenticationStep.results(line, tx).with("ms", (System.nanoTime() - tx.startedNanos) / 1_000_000).log();
        return Reply.of(250, "2.0.0", "OK: queued as " + draft.id());
    }

    /**
     * SMFIR_DISCARD (or every recipient deleted): the client hears the 250 it would have heard, as from Postfix,
     * and the message is dropped; the mail log says so.
     */
    private Reply discarded(Transaction tx, MessageReader reader, String why) {
        String id = tx.draft.id().value();
        MailLog.event(id, "discarded").with("client", conversation.clientAddress()).address("from", tx.sender)
                .with("rcpts", tx.recipients.size()).with("size", reader.size()).with("reason", why).log();
        state.endTransaction();
        return Reply.of(250, "2.0.0", "OK: queued as " + id);
    }

    /**
     * Message authentication before the commit ({@link AuthenticationStep}): a refusal (logged, transaction
     * ended), or null to go on. An unexpected failure of the checks is one generic 451 (invariant 6): the client
     * tries again later, and nothing is delivered unchecked.
     */
    private Reply authenticate(Transaction tx, Spool.Draft draft, MessageReader reader) throws IOException {
        Reply refusal;
        try {
            refusal = authentication.end(tx, draft);
        } catch (RuntimeException e) {
            LOG.error("{}: message authentication failed for mail from {}", draft.id(),
                    conversation.clientAddress(), e);
            MailLog.event(draft.id().value(), "deferred").with("client", conversation.clientAddress())
                    .with("stage", "DATA").with("reason", "authentication checks failed: " + e).warn();
            state.endTransaction();
            return Replies.LOCAL_ERROR;
        }
        if (refusal != null) {
            MailLog.Line line = MailLog.event(draft.id().value(), "rejected")
                    .with("client", conversation.clientAddress()).with("stage", "DATA")
                    .address("from", tx.sender).with("size", reader.size());
            AuthenticationStep.results(line, tx).with("reply", refusal.summary()).log();
            state.endTransaction();
        }
        return refusal;
    }

    private Reply refusalFor(MessageReader reader, Transaction tx) {
        return switch (reader.problem()) {
            case NONE -> headerRefusal();
            case TOO_BIG -> Replies.MESSAGE_TOO_BIG;
            case LINE_TOO_LONG -> Reply.of(554, "5.6.0", "Message refused: a line is longer than "
                    + limits().maxTextLine() + " octets (RFC 5321 §4.5.3.1.6)");
            case BARE_LINE_ENDING -> Reply.of(554, "5.6.0",
                    "Message refused: bare CR or LF in the text; lines must end with CRLF (RFC 5321 §2.3.8)");
            case NUL -> Reply.of(554, "5.6.0", "Message refused: NUL octet in the text");
            case WRITE_FAILED -> spoolFailure(tx, reader.writeFailure());
        };
    }

    /** What the {@link HeaderScanner} found, once the data has been read to its end. */
    private Reply headerRefusal() {
        return switch (header.problem()) {
            case NONE -> null;
            // RFC 3463 X.3.4 "message too big for system": the header alone is over its own limit. Refused, not
            // accepted unchecked: skipping DKIM and DMARC for a big header would let a forger pad its way past them.
            case HEADER_TOO_LARGE -> Reply.of(552, "5.3.4", "Message header too large");
            // RFC 5321 §6.3: counting Received: fields detects loops; RFC 3463 X.4.6 "routing loop detected"
            case TOO_MANY_RECEIVED -> Reply.of(554, "5.4.6", "Too many Received headers: mail loop?");
        };
    }

    private Reply spoolFailure(Transaction tx, IOException e) {
        String id = tx.draft == null ? null : tx.draft.id().value();
        LOG.error("{}: cannot store message from {}: {}", id, conversation.clientAddress(), e.toString(), e);
        MailLog.event(id, "deferred").with("client", conversation.clientAddress()).with("stage", "DATA")
                .with("reason", "spool write failed: " + e.getMessage()).warn();
        return Replies.LOCAL_ERROR;
    }

    /** Reads and drops a refused chunk. */
    private void discard(long size) throws IOException {
        long remaining = size;
        while (remaining > 0) {
            int n = conversation.in().readChunk(remaining, (bytes, offset, length) -> length);
            if (n < 0) {
                throw new IOException("connection lost during BDAT");
            }
            remaining -= n;
        }
    }

    private SmtpLimits limits() {
        return settings.limits();
    }
}
