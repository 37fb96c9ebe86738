package dev.tern.smtp.server;

import dev.tern.config.ListenerSettings;
import dev.tern.mail.header.HeaderBlock;
import dev.tern.mail.header.HeaderField;
import dev.tern.mail.header.TlsRequiredField;
import dev.tern.observe.MailLog;
import dev.tern.observe.Metrics;
import dev.tern.policy.Verdict;
import dev.tern.policy.dmarc.AuthenticationPolicy;
import dev.tern.policy.mailauth.InboundResult;
import dev.tern.policy.mailauth.OutboundSigner;
import dev.tern.queue.Spool;
import dev.tern.smtp.protocol.Reply;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message authentication for a {@link Session}, between the end of the content and the commit: the checks of mail
 * from the world (SPF, DKIM, DMARC; RFC 7208, 6376, 7489) and the DKIM signature of our users' mail. Either way
 * the content is read back from the draft once, and what the step adds (our {@code Authentication-Results:} or
 * {@code DKIM-Signature:} fields) or removes (forged {@code Authentication-Results:}) is recorded in the draft,
 * which stores it with the message at the commit, so the 250 still comes only after one fsync (invariant 1).
 *
 * <p>Mail from the world is mail on an MX listener from a client that neither authenticated nor is in a trusted
 * network; our users' mail is the rest (submission, trusted networks).
 *
 * <p>The header read for the checks or the signature also answers RFC 8689's question, whether the message says
 * {@code TLS-Required: No} ({@link Transaction#tlsOptional}); a message neither checked nor signed has its header
 * read for that alone. From the world as from our users: §4.1 asks it of every server that receives the message.
 */
final class AuthenticationStep {

    private static final Logger LOG = LoggerFactory.getLogger(AuthenticationStep.class);
    /** Buffers for reading the draft back: the whole message for the checks and the signer, a header alone. */
    private static final int MESSAGE_BUFFER = 65536;
    private static final int HEADER_BUFFER = 8192;

    private final SessionSettings settings;
    private final Conversation conversation;
    private final SessionState state;
    private final MilterStep milters;

    AuthenticationStep(SessionSettings settings, Conversation conversation, SessionState state, MilterStep milters) {
        this.milters = milters;
        this.settings = settings;
        this.conversation = conversation;
        this.state = state;
    }

    /** When DATA or BDAT begins: starts the SPF check of mail from the world, which needs no content. */
    void begin(Transaction tx) {
        if (checksInbound()) {
            tx.checks = settings.inbound().start(conversation.clientInetAddress(),
                    tx.sender.isNull() ? "" : tx.sender.toString(), state.helo());
        }
    }

    /**
     * When the content is complete and before the commit: checks or signs it.
     *
     * @return the refusal to send instead of committing (DMARC reject, or SPF fail under {@code spf_fail =
     *         "reject"}), or null to commit
     * @throws IOException when the draft cannot be read back
     */
    Reply end(Transaction tx, Spool.Draft draft) throws IOException {
        boolean headerRead = tx.checks != null;
        if (tx.checks != null) {
            Reply refusal = inbound(tx, draft);
            if (refusal != null) {
                return refusal;
            }
        }
        // The milters see our Authentication-Results, and sign nothing we sign after them: a milter that changes
        // the header or body after our DKIM signature would break it.
        Reply refusal = milters.end(tx, draft);
        if (refusal != null) {
            return refusal;
        }
        if (signsOutbound() && !tx.milterDiscard) {
            sign(tx, draft);
        } else if (tx.milterRewrote || !headerRead && tx.tlsRequiredField) {
            tx.tlsOptional = saysTlsOptional(draft); // no check read the header as it is committed: read it alone
        }
        return null;
    }

    /**
     * RFC 8689 §4.1: a message with {@code TLS-Required: No} in its header is tagged so. Judged on the header the
     * message is committed with (after the milters), which is what the next hop sees too; the checks and the signer
     * pass it the header they read, so it is read once. A message that is neither checked nor signed is read back
     * for it only when the field went by as it arrived ({@link Transaction#tlsRequiredField}), or a milter
     * rewrote the message.
     */
    private static boolean saysTlsOptional(Spool.Draft draft) throws IOException {
        // The message as committed: a field a milter put on top is kept beside the content (Draft#prepend).
        try (InputStream content = new BufferedInputStream(draft.openMessage(), HEADER_BUFFER)) {
            return TlsRequiredField.saysNo(HeaderBlock.read(content));
        }
    }

    private boolean checksInbound() {
        return settings.inbound() != null && settings.role() == ListenerSettings.Role.MX
                && !state.mayRelay() && settings.inbound().appliesTo(conversation.isLoopback());
    }

    private boolean signsOutbound() {
        return settings.signer() != null && state.mayRelay();
    }

    private Reply inbound(Transaction tx, Spool.Draft draft) throws IOException {
        InboundResult result;
        try (InputStream content = new BufferedInputStream(draft.openContent(), MESSAGE_BUFFER)) {
            HeaderBlock header = HeaderBlock.read(content);
            tx.tlsOptional = TlsRequiredField.saysNo(header);
            result = settings.inbound().finish(tx.checks, header, content);
        }
        tx.checks = null;
        tx.authResult = result;
        count(result);
        AuthenticationPolicy.Decision decision = result.decision();
        if (decision.action() == AuthenticationPolicy.Action.REJECT) {
            Verdict v = decision.reply();
            return Reply.of(v.code(), v.enhanced(), v.text());
        }
        // RFC 8601 §5: fields claiming our authserv-id that came with the message are removed, never trusted.
        for (HeaderField forged : result.forged()) {
            draft.omit(forged.start(), forged.end() - forged.start());
        }
        draft.prepend(result.header().getBytes(StandardCharsets.UTF_8));
        if (decision.action() == AuthenticationPolicy.Action.JUNK) {
            draft.deliverToJunk(); // RFC 7489 §6.3 p=quarantine: the recipient still gets it, marked suspicious
        }
        return null;
    }

    /**
     * Signs with the author's domain's keys. A key that cannot be used is the operator's to fix, not the user's:
     * the message goes unsigned and the log says why.
     */
    private void sign(Transaction tx, Spool.Draft draft) throws IOException {
        OutboundSigner.Sender sender = new OutboundSigner.Sender(
                tx.sender.isNull() ? null : tx.sender.domain().name(), userDomain(state.authUser()),
                state.trusted());
        OutboundSigner.Signed signed;
        // The message as committed, with any field a milter put on top (Draft#prepend), so the signature covers
        // what the next hop reads.
        try (InputStream content = new BufferedInputStream(draft.openMessage(), MESSAGE_BUFFER)) {
            HeaderBlock header = HeaderBlock.read(content);
            tx.tlsOptional = TlsRequiredField.saysNo(header); // unreadable: stays false, the policies apply
            signed = settings.signer().sign(header, content, sender);
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: not DKIM-signed: {}", draft.id(), e.toString(), e);
            MailLog.event(draft.id().value(), "dkim-sign-failed").with("reason", e.getMessage()).warn();
            return;
        }
        if (!signed.fields().isEmpty()) {
            draft.prepend(String.join("", signed.fields()).getBytes(StandardCharsets.US_ASCII));
            tx.signedBy = signed.domain();
        }
    }

    private static String userDomain(String user) {
        int at = user == null ? -1 : user.lastIndexOf('@');
        return at < 0 ? null : user.substring(at + 1);
    }

    /** Each check's result for the metrics: once per message, as the mail log line says them. */
    private static void count(InboundResult result) {
        Metrics metrics = Metrics.get();
        metrics.check(Metrics.Check.SPF, result.spfKeyword());
        for (String dkim : result.dkimKeywords().split(",")) {
            metrics.check(Metrics.Check.DKIM, dkim);
        }
        metrics.check(Metrics.Check.DMARC, result.dmarcKeyword());
    }

    /** The results for the mail log line of the message. */
    static MailLog.Line results(MailLog.Line line, Transaction tx) {
        InboundResult r = tx.authResult;
        if (r != null) {
            line.with("spf", r.spfKeyword()).with("dkim", r.dkimKeywords()).with("dmarc", r.dmarcKeyword());
            if (r.decision().action() != AuthenticationPolicy.Action.ACCEPT) {
                line.with("auth", r.decision().action().name().toLowerCase(java.util.Locale.ROOT))
                        .with("why", r.decision().reason());
            }
        }
        return line.with("dkim-signed", tx.signedBy);
    }
}
