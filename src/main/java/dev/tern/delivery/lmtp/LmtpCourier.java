package dev.tern.delivery.lmtp;

import dev.tern.config.LmtpSettings;
import dev.tern.delivery.Courier;
import dev.tern.delivery.Outcome;
import dev.tern.delivery.Parcel;
import dev.tern.mail.Address;
import dev.tern.mail.Envelope;
import dev.tern.smtp.protocol.Reply;
import dev.tern.smtp.protocol.ReplyReader;
import dev.tern.store.Directory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Delivers local mail to a mailbox server over LMTP (RFC 2033): MAIL, one RCPT per mailbox, DATA, then one reply
 * per accepted mailbox after the final dot (§4.2), each becoming its recipient's outcome, so a full mailbox
 * defers that recipient only and an unknown user fails only that one. Commands are pipelined when the server
 * offers PIPELINING (RFC 2920). The server adds {@code Return-Path:} and {@code Delivered-To:} itself, so the
 * stored message goes as it is.
 *
 * <p>One connection per delivery attempt: the server is local (a Unix socket or loopback), so a connection costs
 * an accept and a greeting, and no idle connection outlives a server restart or holds one of its processes. The
 * local lane ({@code local_delivery_threads}) bounds how many run at once.
 */
public final class LmtpCourier implements Courier {

    private final LmtpSettings settings;
    private final LmtpTarget target;
    private final String hostname;
    private final Directory directory;

    /**
     * @param settings  {@code [lmtp]}, enabled
     * @param hostname  our name, said in LHLO
     * @param directory resolves aliases and Tern's own users before the server is asked
     */
    public LmtpCourier(LmtpSettings settings, String hostname, Directory directory) {
        this.settings = settings;
        this.target = LmtpTarget.of(settings);
        this.hostname = hostname;
        this.directory = directory;
    }

    /** One mailbox's result. */
    record Answer(Outcome.Status status, String enhanced, String detail, String where) {
    }

    @Override
    public List<Outcome> deliver(Parcel parcel) {
        String where = target.toString();
        Mailboxes mailboxes = Mailboxes.of(parcel.recipients(), directory, where);
        Answer[] answers = new Answer[mailboxes.names().size()];
        if (answers.length > 0) {
            boolean connected = false;
            try (LmtpConnection c = LmtpConnection.open(target, hostname, settings.connectTimeout(),
                    settings.commandTimeout())) {
                connected = true;
                transaction(c, parcel, mailboxes.names(), answers);
            } catch (IOException | RuntimeException e) {
                // RFC 3463 §3.5: 4.4.1 no answer from the host, 4.4.2 the connection broke off.
                String code = connected ? "4.4.2" : "4.4.1";
                String why = (connected ? "lost connection with " : "cannot deliver to ") + where + ": " + reason(e);
                for (int i = 0; i < answers.length; i++) {
                    if (answers[i] == null) {
                        answers[i] = new Answer(Outcome.Status.DEFERRED, code, why, where);
                    }
                }
            }
        }
        return mailboxes.outcomes(parcel.recipients(), answers);
    }

    private void transaction(LmtpConnection c, Parcel parcel, List<String> names, Answer[] answers)
            throws IOException {
        Envelope envelope = parcel.envelope();
        boolean international = Mailboxes.international(sender(envelope.sender()))
                || names.stream().anyMatch(Mailboxes::international);
        if (international && !c.smtputf8()) {
            // RFC 6531 §3.5: these addresses cannot be given to a server without SMTPUTF8.
            fill(answers, new Answer(Outcome.Status.FAILED, "5.6.7", c.where()
                    + " does not support SMTPUTF8, which these addresses need", c.where()));
            return;
        }
        String mail = mailCommand(envelope, c, international);
        List<Reply> rcpts = new ArrayList<>(names.size());
        Reply mailReply;
        Reply dataReply = null;
        if (c.pipelining()) {
            // RFC 2920 §3.1: MAIL, the RCPTs and DATA go in one group; DATA is last, as it changes the state.
            c.send(mail);
            for (String name : names) {
                c.send("RCPT TO:<" + name + ">");
            }
            c.send("DATA");
            c.flush(settings.commandTimeout());
            mailReply = c.read(settings.commandTimeout(), "MAIL");
            for (int i = 0; i < names.size(); i++) {
                rcpts.add(c.read(settings.commandTimeout(), "RCPT"));
            }
            dataReply = c.read(settings.commandTimeout(), "DATA");
        } else {
            mailReply = c.command(mail, settings.commandTimeout());
            if (mailReply.isPositive()) {
                for (String name : names) {
                    rcpts.add(c.command("RCPT TO:<" + name + ">", settings.commandTimeout()));
                }
            }
        }
        if (!mailReply.isPositive()) {
            fill(answers, answer(mailReply, c, "MAIL FROM"));
            return;
        }
        List<Integer> accepted = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (rcpts.get(i).isPositive()) {
                accepted.add(i);
            } else {
                answers[i] = answer(rcpts.get(i), c, "RCPT TO");
            }
        }
        if (accepted.isEmpty()) {
            if (dataReply != null && dataReply.code() == 354) {
                c.abort(); // RFC 2033 §4.2 wants a 503 here; a server that waits for a message gets none
            }
            return;
        }
        if (dataReply == null) {
            dataReply = c.command("DATA", settings.commandTimeout());
        }
        if (dataReply.code() != 354) {
            Answer refused = answer(dataReply, c, "DATA");
            accepted.forEach(i -> answers[i] = refused);
            return;
        }
        try (InputStream content = parcel.content().open()) {
            c.sendMessage(content, settings.commandTimeout());
        }
        // RFC 2033 §4.2: one reply per accepted RCPT, in their order.
        for (int i : accepted) {
            answers[i] = answer(c.read(settings.dataTimeout(), "the end of the message"), c, null);
        }
    }

    private static String mailCommand(Envelope envelope, LmtpConnection c, boolean international) {
        StringBuilder line = new StringBuilder("MAIL FROM:<").append(sender(envelope.sender())).append('>');
        if (envelope.body() == Envelope.BodyType.EIGHT_BIT_MIME && c.eightBitMime()) {
            line.append(" BODY=8BITMIME"); // RFC 6152 §3
        }
        if (international || envelope.smtputf8() && c.smtputf8()) {
            line.append(" SMTPUTF8"); // RFC 6531 §3.4
        }
        return line.toString();
    }

    private static String sender(Address sender) {
        return sender == null || sender.isNull() ? "" : sender.isInternational() ? sender.toString()
                : Mailboxes.path(sender);
    }

    /** A reply as a mailbox's result: 2xx delivered, 4xx deferred, 5xx failed, with the server's own code. */
    static Answer answer(Reply reply, LmtpConnection c, String stage) {
        String said = c.where() + " said: " + ReplyReader.printable(String.join(" ", reply.lines()));
        String detail = stage == null ? said : said + " (in reply to " + stage + ")";
        String text = reply.code() + " " + detail;
        if (reply.isPositive()) {
            return new Answer(Outcome.Status.DELIVERED, code(reply, "2.0.0"), detail, c.where());
        }
        if (reply.isPermanentFailure()) {
            return new Answer(Outcome.Status.FAILED, code(reply, "5.0.0"), text, c.where());
        }
        return new Answer(Outcome.Status.DEFERRED, code(reply, "4.0.0"), text, c.where());
    }

    private static String code(Reply reply, String fallback) {
        return reply.enhanced() == null ? fallback : reply.enhanced();
    }

    private static void fill(Answer[] answers, Answer answer) {
        for (int i = 0; i < answers.length; i++) {
            if (answers[i] == null) {
                answers[i] = answer;
            }
        }
    }

    static String reason(Exception e) {
        String message = e.getMessage();
        String text = message == null ? e.getClass().getSimpleName() : message;
        return ReplyReader.printable(text);
    }
}
