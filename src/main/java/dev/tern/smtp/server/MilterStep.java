package dev.tern.smtp.server;

import dev.tern.mail.Address;
import dev.tern.mail.AddressException;
import dev.tern.mail.Recipient;
import dev.tern.milter.Change;
import dev.tern.milter.EndOfMessage;
import dev.tern.milter.MessageSource;
import dev.tern.milter.MilterChain;
import dev.tern.milter.Verdict;
import dev.tern.observe.MailLog;
import dev.tern.queue.Spool;
import dev.tern.smtp.protocol.Reply;
import dev.tern.tls.TlsSession;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The listener's milters ({@code [[milter]]}) for a {@link Session}: one small call per stage, each turning the
 * milters' {@link Verdict} into the reply Postfix gives ({@code 550 5.7.1 Command rejected}, {@code 451 4.7.1
 * Service unavailable - try again later}, or the milter's own checked text), with the macros of Postfix's default
 * sets ({@code milter_*_macros}). At the end of the message the milters run after SPF, DKIM and DMARC (so they
 * see our Authentication-Results) and before DKIM signing (so a milter's change cannot break our signature).
 */
final class MilterStep implements AutoCloseable {

    private final SessionSettings settings;
    private final Conversation conversation;
    private final SessionState state;
    /** Null when the listener has no milters: every call is then a no-op. */
    private final MilterChain chain;

    MilterStep(SessionSettings settings, Conversation conversation, SessionState state) {
        this.settings = settings;
        this.conversation = conversation;
        this.state = state;
        this.chain = settings.milters().isEmpty() ? null : new MilterChain(settings.milters(), conversation.clientAddress());
    }

    /** At connect: null to greet, else the refusal (554, only QUIT after it; or 421 and close). */
    Reply connect() {
        if (chain == null) {
            return null;
        }
        Map<String, String> m = macros();
        m.put("j", settings.hostname());
        m.put("daemon_name", settings.listener());
        m.put("v", "Tern");
        // Tern does no reverse lookup of its clients: the name is Postfix's "unknown" in the macros, and the
        // connect packet gives "[address]" as Sendmail does for a client without a name.
        m.put("_", "unknown [" + conversation.clientAddress() + "]");
        m.put("client_addr", conversation.clientAddress());
        m.put("client_name", "unknown");
        Verdict v = chain.connect(null, conversation.clientInetAddress(), 0, m);
        if (!v.refuses()) {
            return null;
        }
        return v.action() == Verdict.Action.REJECT ? Reply.of(554, v.enhanced(), String.join(" ", v.lines()))
                : Reply.closing(421, v.enhanced(), String.join(" ", v.lines()));
    }

    /** After our own HELO checks: null to go on, or the refusal. */
    Reply helo(String name) {
        if (chain == null) {
            return null;
        }
        Map<String, String> m = macros();
        TlsSession tls = conversation.tls();
        if (tls != null) {
            m.put("tls_version", tls.protocol());
            m.put("cipher", tls.cipherSuite());
        }
        return reply(chain.helo(name, m));
    }

    /** After our own MAIL checks: null to go on (the transaction notes a discard), or the refusal. */
    Reply mail(Address sender, Map<String, String> params, Transaction tx) {
        if (chain == null) {
            return null;
        }
        Map<String, String> m = macros();
        if (state.authUser() != null) {
            m.put("auth_type", "PLAIN");
            m.put("auth_authen", state.authUser());
        }
        m.put("mail_addr", sender.toString());
        Verdict v = chain.mail(sender.toString(), esmtp(params), m);
        if (v.refuses()) {
            chain.abort();
        } else {
            tx.onAbort = chain::abort;
        }
        noteDiscard(v, tx);
        return reply(v);
    }

    /** After our own RCPT checks: null to accept the recipient, or its refusal. */
    Reply rcpt(Address recipient, Map<String, String> params, Transaction tx) {
        if (chain == null) {
            return null;
        }
        Map<String, String> m = macros();
        m.put("rcpt_addr", recipient.toString());
        Verdict v = chain.rcpt(recipient.toString(), esmtp(params), m);
        noteDiscard(v, tx);
        return reply(v);
    }

    /** At DATA (or the first BDAT), before the content: null to go on, or the refusal. */
    Reply data(Transaction tx) {
        if (chain == null) {
            return null;
        }
        Verdict v = chain.data(idMacro(tx));
        noteDiscard(v, tx);
        return reply(v);
    }

    private Map<String, String> idMacro(Transaction tx) {
        Map<String, String> m = macros();
        if (tx.draft != null) {
            m.put("i", tx.draft.id().value());
            chain.queueId(tx.draft.id().value());
        }
        return m;
    }

    /**
     * At the end of the message, after the authentication checks: each milter reads the message as stored and
     * its header and body changes are written into the draft. Null to commit (see {@link Transaction#milterEnd}
     * for discard, hold and envelope changes), or the refusal.
     */
    Reply end(Transaction tx, Spool.Draft draft) throws IOException {
        if (chain == null || tx.milterDiscard) {
            return null;
        }
        MessageSource source = new MessageSource() {
            @Override
            public InputStream open() throws IOException {
                return draft.openMessage();
            }

            @Override
            public void rewrite(Rewriter rewriter) throws IOException {
                tx.milterRewrote = true;
                draft.rewrite(rewriter::rewrite);
            }

            @Override
            public void prepend(byte[] fields) {
                tx.milterRewrote = true;
                draft.prepend(fields); // kept beside the content, committed with it: no copy of the message
            }
        };
        EndOfMessage end = chain.end(source, idMacro(tx), settings.limits().maxMessageSize());
        tx.onAbort = null; // the end of the message ends it for the milters too: no SMFIC_ABORT after it
        tx.milterEnd = end;
        noteDiscard(end.verdict(), tx);
        return reply(end.verdict());
    }

    private static void noteDiscard(Verdict v, Transaction tx) {
        if (v.action() == Verdict.Action.DISCARD && tx != null) {
            tx.milterDiscard = true;
        }
    }

    /**
     * The envelope as the milters left it: SMFIR_CHGFROM, ADDRCPT and DELRCPT applied in order. An address a
     * milter gives that is not a valid address is logged and left out: the message still goes where it would.
     */
    static Address sender(Transaction tx, Address sender, String id) {
        Address result = sender;
        for (Change c : changes(tx)) {
            if (c instanceof Change.ChangeSender s) {
                Address a = parse(s.address(), true, id);
                result = a == null ? result : a;
            }
        }
        return result;
    }

    static List<Recipient> recipients(Transaction tx, List<Recipient> recipients, String id) {
        List<Recipient> result = new ArrayList<>(recipients);
        for (Change c : changes(tx)) {
            if (c instanceof Change.AddRecipient r) {
                Address a = parse(r.address(), false, id);
                if (a != null && result.stream().noneMatch(x -> x.address().key().equals(a.key()))) {
                    result.add(Recipient.of(a));
                }
            } else if (c instanceof Change.DeleteRecipient r) {
                Address a = parse(r.address(), false, id);
                if (a != null) {
                    result.removeIf(x -> x.address().key().equals(a.key()));
                }
            }
        }
        return result;
    }

    private static List<Change> changes(Transaction tx) {
        return tx.milterEnd == null ? List.of() : tx.milterEnd.envelope();
    }

    private static Address parse(String text, boolean sender, String id) {
        String path = text.strip();
        if (path.startsWith("<") && path.endsWith(">")) {
            path = path.substring(1, path.length() - 1);
        }
        try {
            return path.isEmpty() && sender ? Address.NULL : Address.parseMailbox(path, true);
        } catch (AddressException e) {
            MailLog.event(id, "milter").with("action", "bad-address").address("address", text)
                    .with("reason", e.getMessage()).warn();
            return null;
        }
    }

    /** Postfix's replies; a milter's own reply code (already checked) is passed on as it gave it. */
    private static Reply reply(Verdict v) {
        if (!v.refuses()) {
            return null;
        }
        Reply reply = new Reply(v.code(), v.enhanced(), v.lines().isEmpty() ? List.of("") : v.lines(), v.code() == 421);
        return reply;
    }

    /** The ESMTP parameters as the client gave them: {@code KEY=value}, or {@code KEY} alone. */
    private static List<String> esmtp(Map<String, String> params) {
        List<String> out = new ArrayList<>();
        params.forEach((k, v) -> out.add(v == null || v.isEmpty() ? k : k + "=" + v));
        return out;
    }

    private static Map<String, String> macros() {
        return new LinkedHashMap<>();
    }

    @Override
    public void close() {
        if (chain != null) {
            chain.close();
        }
    }
}
