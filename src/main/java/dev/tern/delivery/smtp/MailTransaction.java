package dev.tern.delivery.smtp;

import dev.tern.config.DeliverySettings;
import dev.tern.delivery.Outcome;
import dev.tern.delivery.Parcel;
import dev.tern.mail.Address;
import dev.tern.mail.Envelope;
import dev.tern.mail.Recipient;
import dev.tern.smtp.protocol.DotStuffer;
import dev.tern.smtp.protocol.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One mail transaction on an open connection (RFC 5321 §3.3): MAIL, RCPT for each recipient, then DATA
 * with dot-stuffing or BDAT chunks (RFC 3030). With PIPELINING (RFC 2920) MAIL, the RCPTs and DATA go in one
 * write and the replies are read afterwards; otherwise each command waits for its reply.
 */
final class MailTransaction {

    /** Octets per BDAT chunk: big enough for few round trips, small enough to hold two per connection. */
    static final int CHUNK = 128 * 1024;

    private final DeliverySettings settings;
    private final ScheduledExecutorService timer;

    MailTransaction(DeliverySettings settings, ScheduledExecutorService timer) {
        this.settings = settings;
        this.timer = timer;
    }

    /**
     * Runs the transaction. Connection trouble comes back as {@link Attempt.Next}, never as an exception;
     * after it the connection is closed.
     */
    Attempt run(SmtpConnection c, Parcel parcel, List<Recipient> recipients, MessageNeeds needs) {
        try {
            Attempt refusal = precheck(c, parcel, needs);
            return refusal != null ? refusal : transact(c, parcel, recipients);
        } catch (IOException e) {
            c.close();
            return SessionOpener.lost(c, e, "during the transaction");
        } catch (RuntimeException e) {
            c.close(); // its permit must come back whatever happened
            throw e;
        }
    }

    /** What this server cannot take, known from its EHLO reply before anything is sent. */
    private static Attempt precheck(SmtpConnection c, Parcel parcel, MessageNeeds needs) {
        Capabilities caps = c.capabilities();
        long size = parcel.content().size();
        if (caps.size() > 0 && size > caps.size()) {
            // RFC 1870 §6: do not send a message the server declared too big. RFC 3463 X.3.4.
            return Attempt.Next.permanent("5.3.4", "message size " + size + " exceeds the size limit "
                    + caps.size() + " of " + c.where(), c.where());
        }
        if (needs.utf8() && !caps.smtputf8()) {
            // RFC 6531 §3.2: without SMTPUTF8 at the server the message cannot be relayed (RFC 6531 §3.5 code).
            return Attempt.Next.permanent("5.6.7", c.where() + " does not support SMTPUTF8, which this message "
                    + "needs for its internationalized addresses or header", c.where());
        }
        if (needs.binary() && !(caps.binaryMime() && caps.chunking())) {
            // RFC 3030 §3: BINARYMIME only with BDAT. RFC 3463 X.6.3: conversion required but not supported.
            return Attempt.Next.permanent("5.6.3", c.where() + " does not support BINARYMIME", c.where());
        }
        return null;
    }

    private Attempt transact(SmtpConnection c, Parcel parcel, List<Recipient> recipients) throws IOException {
        Capabilities caps = c.capabilities();
        boolean bdat = caps.chunking();
        boolean utf8 = parcel.envelope().smtputf8() && caps.smtputf8();
        List<String> rcptLines = recipients.stream().map(r -> rcptCommand(r, caps, utf8)).toList();
        Reply mail;
        List<Reply> rcpts = new ArrayList<>();
        Reply data = null;
        if (caps.pipelining()) {
            c.send(mailCommand(parcel, caps, utf8));
            for (String line : rcptLines) {
                c.send(line);
            }
            if (!bdat) {
                c.send("DATA");
            }
            c.flush();
            mail = c.read(settings.commandTimeout());
            for (int i = 0; i < rcptLines.size(); i++) {
                rcpts.add(c.read(settings.commandTimeout()));
            }
            data = bdat ? null : c.read(settings.dataInitTimeout());
        } else {
            mail = c.command(mailCommand(parcel, caps, utf8), settings.commandTimeout());
            for (int i = 0; mail.isPositive() && i < rcptLines.size(); i++) {
                Reply reply = c.command(rcptLines.get(i), settings.commandTimeout());
                rcpts.add(reply);
                if (reply.code() == 421) {
                    break;
                }
            }
        }
        return replies(c, parcel, recipients, mail, rcpts, data);
    }

    private Attempt replies(SmtpConnection c, Parcel parcel, List<Recipient> recipients, Reply mail,
                            List<Reply> rcpts, Reply data) throws IOException {
        if (mail.code() == 421 || rcpts.stream().anyMatch(r -> r.code() == 421) || (data != null && data.code() == 421)) {
            c.close();
            Reply closing = mail.code() == 421 ? mail : rcpts.stream().filter(r -> r.code() == 421).findFirst().orElse(data);
            return Attempt.Next.temporary(SessionOpener.temporary(closing.enhanced(), "4.4.2"),
                    c.where() + " said: " + SessionOpener.text(closing), c.where());
        }
        if (!mail.isPositive()) {
            if (mail.code() < 500) {
                c.unusable(); // pipelined commands may still be in flight: close without QUIT
                return Attempt.Next.temporary(SessionOpener.temporary(mail.enhanced(), "4.0.0"),
                        said(c, mail, "MAIL FROM"), c.where());
            }
            if (data != null && data.code() == 354) {
                abandonData(c);
            }
            c.countTransaction();
            return new Attempt.Done(recipients.stream().map(r -> refused(c, r, mail, "MAIL FROM")).toList());
        }
        Outcome[] outcomes = new Outcome[recipients.size()];
        List<Integer> accepted = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            Reply reply = rcpts.get(i);
            if (reply.isPositive()) {
                accepted.add(i);
            } else {
                outcomes[i] = refused(c, recipients.get(i), reply, "RCPT TO");
            }
        }
        c.countTransaction();
        if (accepted.isEmpty()) {
            if (data != null && data.code() == 354) {
                abandonData(c);
            }
            reset(c);
            return new Attempt.Done(List.of(outcomes));
        }
        Reply end = content(c, parcel, data);
        for (int i : accepted) {
            outcomes[i] = end.isPositive() ? delivered(c, recipients.get(i), end)
                    : refused(c, recipients.get(i), end, "end of data");
        }
        if (end.code() == 421) {
            c.close();
            return Attempt.Next.temporary(SessionOpener.temporary(end.enhanced(), "4.4.2"),
                    said(c, end, "end of data"), c.where());
        }
        return new Attempt.Done(List.of(outcomes));
    }

    /** Sends the message with DATA or BDAT; returns the reply that decides for every accepted recipient. */
    private Reply content(SmtpConnection c, Parcel parcel, Reply pipelinedData) throws IOException {
        if (c.capabilities().chunking()) {
            return chunks(c, parcel);
        }
        Reply data = pipelinedData != null ? pipelinedData : c.command("DATA", settings.dataInitTimeout());
        if (data.code() != 354) {
            return data;
        }
        try (InputStream in = parcel.content().open()) {
            DotStuffer stuffer = new DotStuffer(c.data());
            copy(c, in, stuffer);
            stuffer.finish();
        }
        return c.read(settings.dataDoneTimeout());
    }

    /** RFC 3030 §2: BDAT chunks, the last one marked LAST; the reply to the last decides. */
    private Reply chunks(SmtpConnection c, Parcel parcel) throws IOException {
        try (InputStream in = parcel.content().open()) {
            byte[] chunk = in.readNBytes(CHUNK);
            while (true) {
                byte[] next = chunk.length < CHUNK ? new byte[0] : in.readNBytes(CHUNK);
                boolean last = next.length == 0;
                c.send("BDAT " + chunk.length + (last ? " LAST" : ""));
                write(c, chunk, chunk.length);
                c.data().flush();
                Reply reply = c.read(last ? settings.dataDoneTimeout() : settings.commandTimeout());
                if (last || !reply.isPositive()) {
                    if (!last) {
                        c.unusable(); // the server may still be reading the rest: do not reuse this session
                    }
                    return reply;
                }
                chunk = next;
            }
        }
    }

    private void copy(SmtpConnection c, InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[CHUNK];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            int length = n;
            guarded(c, () -> out.write(buffer, 0, length));
        }
    }

    private void write(SmtpConnection c, byte[] bytes, int length) throws IOException {
        guarded(c, () -> c.data().write(bytes, 0, length));
    }

    private interface Write {
        void run() throws IOException;
    }

    /**
     * RFC 5321 §4.5.3.2.5: a block of data that cannot be sent within the data-block timeout ends the
     * connection. A blocked socket write has no timeout of its own, so a timer closes the socket.
     */
    private void guarded(SmtpConnection c, Write write) throws IOException {
        ScheduledFuture<?> alarm = timer.schedule(c::close, settings.dataBlockTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            write.run();
        } finally {
            alarm.cancel(false);
        }
    }

    /** RFC 2920 §3.1: DATA was accepted though no recipient was; send an empty message's end to resync. */
    private void abandonData(SmtpConnection c) throws IOException {
        c.send(".");
        c.flush();
        c.read(settings.dataDoneTimeout());
    }

    private void reset(SmtpConnection c) throws IOException {
        if (!c.command("RSET", settings.commandTimeout()).isPositive()) {
            c.unusable();
        }
    }

    static String mailCommand(Parcel parcel, Capabilities caps, boolean utf8) {
        Envelope e = parcel.envelope();
        StringBuilder line = new StringBuilder("MAIL FROM:<").append(path(e.sender(), utf8)).append('>');
        if (caps.size() >= 0) {
            line.append(" SIZE=").append(parcel.content().size()); // RFC 1870 §6
        }
        if (e.body() == Envelope.BodyType.BINARY_MIME) {
            line.append(" BODY=BINARYMIME");
        } else if (e.body() == Envelope.BodyType.EIGHT_BIT_MIME && caps.eightBitMime()) {
            line.append(" BODY=8BITMIME"); // RFC 6152 §3; without it the content goes as is, as Postfix does
        }
        if (utf8) {
            line.append(" SMTPUTF8");
        }
        if (e.requireTls() && caps.requireTls()) {
            line.append(" REQUIRETLS"); // RFC 8689 §4.2.1: the next hop keeps the requirement
        }
        if (caps.dsn()) { // RFC 3461 §4.3, §4.4
            if (e.ret() != null) {
                line.append(" RET=").append(e.ret().name());
            }
            if (e.envid() != null) {
                line.append(" ENVID=").append(e.envid());
            }
        }
        return line.toString();
    }

    static String rcptCommand(Recipient r, Capabilities caps, boolean utf8) {
        StringBuilder line = new StringBuilder("RCPT TO:<").append(path(r.address(), utf8)).append('>');
        if (caps.dsn()) { // RFC 3461 §4.1, §4.2
            if (!r.notifyOn().isEmpty()) {
                line.append(" NOTIFY=").append(String.join(",",
                        r.notifyOn().stream().sorted().map(Enum::name).toList()));
            }
            if (r.orcpt() != null) {
                line.append(" ORCPT=").append(r.orcpt());
            }
        }
        return line.toString();
    }

    /** The address as sent: as received with SMTPUTF8, else with the domain in A-labels (RFC 5890). */
    static String path(Address a, boolean utf8) {
        if (a == null || a.isNull()) {
            return "";
        }
        return utf8 ? a.toString() : a.localPart() + "@" + a.domain().key();
    }

    private static Outcome delivered(SmtpConnection c, Recipient r, Reply reply) {
        return new Outcome(r, Outcome.Status.DELIVERED, reply.enhanced() == null ? "2.0.0" : reply.enhanced(),
                c.where() + " said: " + SessionOpener.text(reply), c.where());
    }

    private static Outcome refused(SmtpConnection c, Recipient r, Reply reply, String stage) {
        String detail = said(c, reply, stage);
        if (reply.isPermanentFailure()) {
            return Outcome.failed(r, reply.enhanced() == null ? "5.0.0" : reply.enhanced(), detail, c.where());
        }
        return Outcome.deferred(r, SessionOpener.temporary(reply.enhanced(), "4.0.0"), detail, c.where());
    }

    private static String said(SmtpConnection c, Reply reply, String stage) {
        return c.where() + " said: " + SessionOpener.text(reply) + " (in reply to " + stage + ")";
    }
}
