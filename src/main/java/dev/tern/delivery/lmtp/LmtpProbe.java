package dev.tern.delivery.lmtp;

import dev.tern.config.LmtpSettings;
import dev.tern.mail.Address;
import dev.tern.smtp.protocol.Reply;
import dev.tern.smtp.protocol.ReplyReader;
import dev.tern.store.Directory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Asks the LMTP server at RCPT time whether a mailbox exists and has room, as Postfix's address verification
 * does: {@code MAIL FROM:<>}, {@code RCPT TO}, {@code RSET} on a kept connection, pipelined when offered. Dovecot
 * answers RCPT per user ({@code 550 5.1.1} for an unknown one) and, with {@code lmtp_rcpt_check_quota = yes}, a
 * {@code x.2.2} reply for a mailbox over quota. No message is ever sent: RSET ends each question.
 *
 * <p>Up to {@code rcpt_check_connections} connections wait idle between questions, so a busy MX pays one round
 * trip per recipient rather than a connection. A kept connection the server has since closed is noticed at once
 * (end of stream) and the question asked again on a new one.
 */
public final class LmtpProbe implements AutoCloseable {

    /** What the server said about one address. */
    public enum Kind { NOT_SERVED, EXISTS, UNKNOWN, FULL, UNAVAILABLE }

    /**
     * @param kind   the answer
     * @param reason for the log: the server's reply or what went wrong
     */
    public record Answer(Kind kind, String reason) {
    }

    private final LmtpSettings settings;
    private final LmtpTarget target;
    private final String hostname;
    private final Directory directory;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<LmtpConnection> idle = new ArrayDeque<>();
    private boolean closed;

    public LmtpProbe(LmtpSettings settings, String hostname, Directory directory) {
        this.settings = settings;
        this.target = LmtpTarget.of(settings);
        this.hostname = hostname;
        this.directory = directory;
    }

    /**
     * The server's answer for {@code recipient}: {@link Kind#NOT_SERVED} for a domain delivered elsewhere, else
     * for each mailbox it reaches (Tern's aliases resolved first), the first that is not {@link Kind#EXISTS}.
     */
    public Answer check(Address recipient) {
        if (recipient.isNull() || !settings.serves(recipient.domain())) {
            return new Answer(Kind.NOT_SERVED, null);
        }
        List<String> names;
        try {
            names = Mailboxes.names(recipient, directory);
        } catch (RuntimeException e) {
            return new Answer(Kind.UNAVAILABLE, "user directory: " + e);
        }
        Answer answer = new Answer(Kind.EXISTS, null);
        for (String name : names) {
            if (Mailboxes.international(name)) {
                return new Answer(Kind.NOT_SERVED, null); // LMTP without SMTPUTF8 cannot be asked; the directory decides
            }
            answer = ask(name);
            if (answer.kind() != Kind.EXISTS) {
                return answer;
            }
        }
        return answer;
    }

    private Answer ask(String name) {
        for (int attempt = 0; ; attempt++) {
            LmtpConnection c = takeIdle();
            boolean kept = c != null;
            try {
                if (c == null) {
                    c = LmtpConnection.open(target, hostname, settings.rcptCheckTimeout(), settings.rcptCheckTimeout());
                }
                Answer answer = question(c, name);
                giveBack(c);
                return answer;
            } catch (IOException | RuntimeException e) {
                if (c != null) {
                    c.abort();
                }
                if (!kept || attempt > 0) {
                    return new Answer(Kind.UNAVAILABLE, target + ": " + LmtpCourier.reason(e));
                }
                // a kept connection the server closed meanwhile: ask once more on a new one
            }
        }
    }

    private Answer question(LmtpConnection c, String name) throws IOException {
        var timeout = settings.rcptCheckTimeout();
        Reply mail;
        Reply rcpt;
        Reply rset;
        if (c.pipelining()) {
            c.send("MAIL FROM:<>");
            c.send("RCPT TO:<" + name + ">");
            c.send("RSET");
            c.flush(timeout);
            mail = c.read(timeout, "MAIL");
            rcpt = c.read(timeout, "RCPT");
            rset = c.read(timeout, "RSET");
        } else {
            mail = c.command("MAIL FROM:<>", timeout);
            rcpt = mail.isPositive() ? c.command("RCPT TO:<" + name + ">", timeout) : null;
            rset = c.command("RSET", timeout);
        }
        if (!rset.isPositive()) {
            throw new LmtpConnection.LmtpException("RSET refused: " + rset.summary());
        }
        if (!mail.isPositive()) {
            return new Answer(Kind.UNAVAILABLE, target + " refused MAIL FROM:<>: " + said(mail));
        }
        return classify(rcpt);
    }

    /** RFC 3463: x.2.2 mailbox full; x.1.x a bad address; any other 5xx refuses the user, any other 4xx is unsure. */
    static Answer classify(Reply rcpt) {
        String enhanced = rcpt.enhanced() == null ? "" : rcpt.enhanced();
        if (rcpt.isPositive()) {
            return new Answer(Kind.EXISTS, null);
        }
        if (enhanced.endsWith(".2.2")) {
            return new Answer(Kind.FULL, said(rcpt));
        }
        if (rcpt.isPermanentFailure()) {
            return new Answer(Kind.UNKNOWN, said(rcpt));
        }
        return new Answer(Kind.UNAVAILABLE, said(rcpt));
    }

    private static String said(Reply reply) {
        return reply.code() + " " + (reply.enhanced() == null ? "" : reply.enhanced() + " ")
                + ReplyReader.printable(String.join(" ", reply.lines()));
    }

    private LmtpConnection takeIdle() {
        lock.lock();
        try {
            return idle.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    private void giveBack(LmtpConnection c) {
        lock.lock();
        try {
            if (!closed && idle.size() < settings.rcptCheckConnections()) {
                idle.addFirst(c);
                return;
            }
        } finally {
            lock.unlock();
        }
        c.close();
    }

    /** Closes the kept connections; a question under way closes its own when done. */
    @Override
    public void close() {
        List<LmtpConnection> all;
        lock.lock();
        try {
            closed = true;
            all = List.copyOf(idle);
            idle.clear();
        } finally {
            lock.unlock();
        }
        all.forEach(LmtpConnection::close);
    }
}
