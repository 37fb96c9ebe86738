package dev.tern.milter;

import dev.tern.mail.header.HeaderBlock;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The message stages for one milter, at the end of DATA as Postfix's cleanup does: each header field
 * (SMFIC_HEADER), SMFIC_EOH, the body in chunks (SMFIC_BODY), SMFIC_BODYEOB; then its changes are applied to
 * the message before the next milter reads it, so each milter sees what the earlier ones made of it.
 */
final class MessageStages {

    /** The outcome for one milter: its verdict and what it asked for beyond the content. */
    record Outcome(Verdict verdict, List<Change> envelope, String quarantine) {
    }

    private static final Outcome GO_ON = new Outcome(Verdict.CONTINUE, List.of(), null);

    private MessageStages() {
    }

    static Outcome run(Milter m, MessageSource message, Map<String, String> macros, long maxBody) throws IOException {
        if (m.silent() || m.doneForMessage) {
            return new Outcome(m.doneForMessage ? Verdict.CONTINUE : m.standing(), List.of(), null);
        }
        Collected changes = new Collected(maxBody);
        Verdict verdict;
        try {
            verdict = converse(m, message, macros, changes);
        } catch (MilterException e) {
            return new Outcome(m.fail("END-OF-MESSAGE", e), List.of(), null);
        }
        if (verdict == null) {
            return GO_ON; // accepted on the way: no changes, no more questions for this message
        }
        m.doneForMessage = false;
        if (verdict.action() != Verdict.Action.CONTINUE) {
            return new Outcome(verdict, List.of(), null); // a refusal drops the milter's changes, as in Postfix
        }
        if (changes.changesContent()) {
            byte[] body = changes.body == null ? null : changes.body.toByteArray();
            try {
                byte[] top = MessageEditor.topFields(changes.header, body, m.leadingSpace());
                if (top != null) {
                    message.prepend(top); // the same message as the rewrite below would make, without copying it
                } else {
                    message.rewrite((current, out) -> MessageEditor.apply(changes.header, body, m.leadingSpace(),
                            current, out));
                }
            } catch (MilterException e) {
                return new Outcome(m.fail("END-OF-MESSAGE", e), List.of(), null);
            }
        }
        List<Change> all = new java.util.ArrayList<>(changes.header);
        all.addAll(changes.envelope);
        if (!all.isEmpty() || changes.body != null) {
            m.logChanges(all, changes.body != null);
        }
        return new Outcome(verdict, changes.envelope, changes.quarantine);
    }

    /** The conversation; null when the milter accepted the message before its end. */
    private static Verdict converse(Milter m, MessageSource message, Map<String, String> macros, Collected changes)
            throws IOException {
        var s = m.settings;
        try (InputStream in = new BufferedInputStream(message.open(), 64 * 1024)) {
            HeaderBlock header = HeaderBlock.read(in);
            if (m.wants(MilterProtocol.NOHDRS)) {
                for (byte[] field : MilterFields.of(header)) {
                    byte[] data = MilterConnection.strings(MilterFields.name(field), MilterFields.value(field, m.leadingSpace()));
                    m.send(MilterProtocol.HEADER, data, s.contentTimeout());
                    Verdict v = reply(m, "HEADER", MilterProtocol.NR_HDR, s.contentTimeout());
                    if (v == null || v.action() != Verdict.Action.CONTINUE) {
                        return v;
                    }
                }
            }
            if (m.wants(MilterProtocol.NOEOH)) {
                m.send(MilterProtocol.EOH, new byte[0], macros, s.contentTimeout());
                Verdict v = reply(m, "END-OF-HEADER", MilterProtocol.NR_EOH, s.contentTimeout());
                if (v == null || v.action() != Verdict.Action.CONTINUE) {
                    return v;
                }
            }
            if (m.wants(MilterProtocol.NOBODY)) {
                byte[] chunk = new byte[MilterProtocol.CHUNK];
                int n;
                while ((n = in.readNBytes(chunk, 0, chunk.length)) > 0) {
                    m.send(MilterProtocol.BODY, java.util.Arrays.copyOf(chunk, n), s.contentTimeout());
                    if (!m.wants(MilterProtocol.NR_BODY)) {
                        continue;
                    }
                    MilterConnection.Packet p = m.finalReply("BODY", s.contentTimeout(), null);
                    if (p.code() == MilterProtocol.SKIP) {
                        break; // SMFIP_SKIP: the milter has seen enough of the body
                    }
                    Verdict v = m.decide("BODY", p);
                    if (m.doneForMessage || v.action() != Verdict.Action.CONTINUE) {
                        return m.doneForMessage && v.action() == Verdict.Action.CONTINUE ? null : v;
                    }
                }
            }
        }
        m.send(MilterProtocol.BODYEOB, new byte[0], macros, s.eomTimeout());
        Verdict v = m.decide("END-OF-MESSAGE", m.finalReply("END-OF-MESSAGE", s.eomTimeout(), changes));
        m.doneForMessage = false; // an accept at the end is the end anyway
        return v;
    }

    /** The reply to a header-stage packet, unless the milter asked not to send one; null when it accepted. */
    private static Verdict reply(Milter m, String stage, int noReplyFlag, java.time.Duration timeout) throws MilterException {
        if (!m.wants(noReplyFlag)) {
            return Verdict.CONTINUE;
        }
        Verdict v = m.decide(stage, m.finalReply(stage, timeout, null));
        return m.doneForMessage && v.action() == Verdict.Action.CONTINUE ? null : v;
    }
}
