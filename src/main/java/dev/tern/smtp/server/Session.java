package dev.tern.smtp.server;

import dev.tern.mail.Address;
import dev.tern.mail.AddressException;
import dev.tern.observe.MailLog;
import dev.tern.observe.Metrics;
import dev.tern.policy.RecipientPolicy;
import dev.tern.policy.screen.Screening;
import dev.tern.policy.rules.Decision;
import dev.tern.policy.rules.Facts;
import dev.tern.queue.Spool;
import dev.tern.smtp.protocol.BufferPool;
import dev.tern.smtp.protocol.Command;
import dev.tern.smtp.protocol.CommandParser;
import dev.tern.smtp.protocol.Replies;
import dev.tern.smtp.protocol.Reply;
import dev.tern.smtp.protocol.SmtpInput;
import dev.tern.tls.TlsSession;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.function.BooleanSupplier;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP connection, from greeting to close: a loop that reads a command, decides the reply where the
 * condition is found, and writes it. Replies are flushed only when no more input is waiting, which is what
 * makes PIPELINING (RFC 2920) cheap for both sides.
 */
public final class Session implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    /**
     * The read buffers of all sessions: a session borrows one only while it has input to work on, so 10,000
     * sessions waiting for a command hold none (see SmtpInput). 16 KiB per read of message data; up to 256
     * buffers (4 MiB) are kept between bursts, and a burst beyond that allocates more.
     */
    private static final BufferPool READ_BUFFERS = new BufferPool(16 * 1024, 256);

    private final SessionSettings settings;
    private final Transport transport;
    /** How long each read may wait (command, data, stress, trickle and session bounds). */
    private final ReadDeadlines deadlines;
    /** The watchdog's hold on this connection (write timeout), or null in tests without one. */
    private final Watchdog.Watch watch;
    private SmtpInput in;
    private OutputStream out;
    private final SmtpInput.Line line;
    /** The connection as the pieces below see it: they never touch these fields. */
    private final Conversation conversation = new Connection();
    /** HELO, AUTH user, trust and transaction, shared with the pieces below. */
    private final SessionState state;
    private final MessageReception reception;
    private final AuthExchange auth;
    private final Throttles throttles;
    private final MilterStep milters;
    /** MAIL and RCPT: the envelope's checks. */
    private final EnvelopeStep envelope;
    /** The MX listener's screen of this client (greet pause, DNS lists), or null for none. */
    private final Screening screening;
    /** Whether the session waits for a command, where a stopping server may tell it 421 (IdleGate). */
    private final IdleGate idle;

    /** What the filtering rules know so far (client, then HELO). */
    private Facts facts;
    /** A rule refused the connection with 554: only QUIT is answered normally (RFC 5321 §3.1). */
    private boolean refusedAtConnect;
    private int errors;
    /** Runs once, just before the reply that ends the session goes out ({@link #beforeLastReply}). */
    private Runnable beforeLastReply = () -> { };
    /** RCPTs refused for the recipient limit so far (RFC 5321 §4.5.3.1.10); see SmtpLimits.recipientOvershoot. */
    private int recipientOvershoot;

    /** A session with no watchdog and never under stress (session tests). */
    public Session(SessionSettings settings, Transport transport, Spool spool, RecipientPolicy recipients)
            throws IOException {
        this(settings, transport, spool, recipients, null, () -> false, () -> false, null);
    }

    /**
     * @param watch       the watchdog's hold on the connection, for write timeouts; null for none
     * @param underStress whether the server is so busy that the short stress timeouts apply
     */
    public Session(SessionSettings settings, Transport transport, Spool spool, RecipientPolicy recipients,
                   Watchdog.Watch watch, BooleanSupplier underStress) throws IOException {
        this(settings, transport, spool, recipients, watch, underStress, () -> false, null);
    }

    /**
     * @param stopping  whether the server is stopping: an idle session then gets 421 4.3.2 ({@link #stopIfIdle})
     * @param screening the screen of this client before the greeting and at RCPT, or null for none
     */
    public Session(SessionSettings settings, Transport transport, Spool spool, RecipientPolicy recipients,
                   Watchdog.Watch watch, BooleanSupplier underStress, BooleanSupplier stopping, Screening screening)
            throws IOException {
        this.idle = new IdleGate(stopping);
        this.screening = screening;
        this.settings = settings;
        this.transport = transport;
        long deadlineNanos = System.nanoTime() + settings.limits().sessionTimeout().toNanos();
        this.deadlines = new ReadDeadlines(transport, settings.limits(), underStress, deadlineNanos);
        this.watch = watch;
        this.in = new SmtpInput(transport.input(), READ_BUFFERS, deadlines);
        this.out = new ReplyOutput(guarded(transport.output()));
        this.line = new SmtpInput.Line(settings.limits().maxCommandLine() - 2);
        InetAddress client = transport.clientInetAddress();
        this.state = new SessionState(settings.isTrusted(client));
        this.milters = new MilterStep(settings, conversation, state);
        this.reception = new MessageReception(settings, spool, deadlines, conversation, state, milters);
        this.auth = new AuthExchange(settings, conversation, state);
        this.throttles = new Throttles(settings, conversation, state);
        this.envelope = new EnvelopeStep(settings, conversation, state, recipients, throttles, milters, screening);
        this.facts = Facts.connect(client);
    }

    /**
     * What to do once the session has decided to end, before it says so: the server gives back the connection's
     * permit here, so a client that reconnects the moment it reads our 221 is never refused for a connection
     * that is closing (smtp-source and any MTA with a pool of connections do exactly that).
     */
    public void beforeLastReply(Runnable action) {
        this.beforeLastReply = action;
    }

    @Override
    public void run() {
        try {
            Reply greeting = greeting();
            sendLastIfClosing(greeting);
            out.flush();
            if (greeting.close()) {
                return;
            }
            Reply reply;
            do {
                reply = next();
                if (reply != null) {
                    sendLastIfClosing(reply);
                }
                if (reply == null || reply.close() || !in.hasBufferedInput()) {
                    out.flush();
                }
            } while (reply == null || !reply.close());
        } catch (SocketTimeoutException e) {
            if (!idle.claimed()) {
                timedOut();
            }
        } catch (IOException e) {
            LOG.debug("connection from {} ended: {}", transport.clientAddress(), e.toString());
        } catch (RuntimeException e) {
            LOG.error("unexpected error in session with {}", transport.clientAddress(), e);
            sendUnlessClaimed(Reply.closing(421, "4.3.0", "Local error, closing connection"));
        } finally {
            state.endTransaction();
            milters.close();
            closeQuietly();
            in.release(); // the session's thread is the only one that reads: nothing uses the buffer now
            if (watch != null) {
                watch.close();
            }
        }
    }

    /**
     * The 220, unless the connection rate, the screen or a rule refuses the client: 554 (and only QUIT after it)
     * or 421 and close. The rate comes first: it costs nothing, the screen's pause costs the client seconds.
     */
    private Reply greeting() throws IOException {
        Reply limited = throttles.atConnect();
        if (limited != null) {
            return limited;
        }
        Reply screened = screening == null ? null : ScreenStep.beforeGreeting(screening, state, transport, out);
        if (screened != null) {
            refusedAtConnect = !screened.close(); // a 554 greeting: only QUIT after it (RFC 5321 §3.1)
            return screened;
        }
        Decision decision = settings.rules().atConnect(facts);
        if (!decision.refuses()) {
            Reply refused = milters.connect();
            if (refused != null) {
                refusedAtConnect = !refused.close();
                return refused;
            }
            return Reply.of(220, null, settings.hostname() + " ESMTP Tern");
        }
        logRule("CONNECT", decision, null, null);
        refusedAtConnect = decision.code() == 554;
        Reply reply = Reply.of(decision.code(), decision.enhanced(), decision.text());
        return refusedAtConnect ? reply : reply.closingConnection();
    }

    private void logRule(String stage, Decision decision, Address from, Address to) {
        EnvelopeStep.logRule(transport.clientAddress(), stage, decision, from, to);
    }

    /** A read waited too long: say which limit ended the session, and log the slow and the stressed ones. */
    private void timedOut() {
        Reply reply = switch (deadlines.cause()) {
            case SESSION -> Replies.SESSION_TOO_LONG;
            case TRICKLE -> Replies.TOO_SLOW;
            case IDLE -> Replies.TIMEOUT;
        };
        if (deadlines.cause() != ReadDeadlines.Cause.IDLE || deadlines.stressed()) {
            MailLog.event(null, "disconnect").with("client", transport.clientAddress())
                    .with("reason", reply.summary()).with("stress", deadlines.stressed() ? "yes" : null).log();
        }
        sendQuietly(reply);
    }

    /** Reads and handles one command; returns the reply to send, or null when it was already sent (STARTTLS). */
    private Reply next() throws IOException {
        if (deadlines.sessionExpired()) {
            return Replies.SESSION_TOO_LONG; // a client that keeps talking must not outlive the limit either
        }
        if (idle.stopping()) {
            return shuttingDown();
        }
        deadlines.commands();
        // Only this buffer is asked (the flush before asked the connection): a command that reached the socket
        // since then just makes the wait marked idle a short one.
        boolean waits = !in.holdsUnread();
        if (waits && !idle.enter()) {
            return shuttingDown();
        }
        try {
            in.readLine(line);
        } finally {
            if (waits && !idle.leave()) {
                throw new IOException("closed while idle: the server is stopping");
            }
        }
        Reply reply = switch (line.status()) {
            case EOF -> throw new IOException("client closed the connection");
            case TOO_LONG -> Reply.of(500, "5.5.2", "Line too long (at most "
                    + settings.limits().maxCommandLine() + " octets, RFC 5321 §4.5.3.1.4)");
            case BARE_CR -> Replies.BARE_CR;
            case OK -> handleSafely(CommandParser.parse(line.bytes(), line.length()));
        };
        if (countsAsError(reply) && ++errors >= settings.limits().maxErrors()) {
            MailLog.event(null, "disconnect").with("client", transport.clientAddress())
                    .with("reason", "too many errors").with("last", reply.summary()).log();
            return Replies.TOO_MANY_ERRORS;
        }
        return reply;
    }

    /**
     * Whether a reply counts toward {@code max_errors}. A 452 for the recipient limit does not, up to
     * {@code recipient_overshoot} of them: RFC 5321 §4.5.3.1.10 has the client send the rest in another
     * transaction, and closing would lose the recipients already accepted.
     */
    private boolean countsAsError(Reply reply) {
        if (reply == null || reply.code() < 400 || reply.close() || throttles.deferred(reply)) {
            return false; // a rate limit or greylisting deferral is ours, not the client's error
        }
        return reply != Replies.TOO_MANY_RECIPIENTS || ++recipientOvershoot > settings.limits().recipientOvershoot();
    }

    /** Invariant 6: whatever goes wrong inside a handler becomes one generic 451, with the detail in the log. */
    private Reply handleSafely(Command command) throws IOException {
        try {
            return handle(command);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("unexpected error handling {} from {}", command.getClass().getSimpleName(),
                    transport.clientAddress(), e);
            return Replies.LOCAL_ERROR;
        }
    }

    private Reply handle(Command command) throws IOException {
        if (refusedAtConnect && !(command instanceof Command.Quit)) {
            return Reply.of(503, "5.5.1", "Connection refused by policy; send QUIT");
        }
        return switch (command) {
            case Command.Ehlo c -> hello(c.domain(), true);
            case Command.Helo c -> hello(c.domain(), false);
            case Command.Mail c -> envelope.mail(c, facts);
            case Command.Rcpt c -> envelope.rcpt(c);
            case Command.Data c -> reception.data();
            case Command.Bdat c -> reception.bdat(c.size(), c.last());
            case Command.Rset c -> rset();
            case Command.Noop c -> Replies.OK;
            case Command.Quit c -> Replies.BYE;
            case Command.Help c -> Reply.of(214, "2.0.0",
                    "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT HELP VRFY");
            case Command.Vrfy c -> Reply.of(252, "2.5.0",
                    "Cannot VRFY user, but will accept message and attempt delivery");
            case Command.Expn c -> Reply.of(502, "5.5.1", "EXPN not available");
            case Command.StartTls c -> startTls();
            case Command.Auth c -> auth.auth(c);
            case Command.NotImplemented c -> Replies.NOT_IMPLEMENTED;
            case Command.Invalid c -> c.reply();
        };
    }

    /** EHLO/HELO (RFC 5321 §4.1.1.1); a new EHLO also ends any transaction (§4.1.4). */
    private Reply hello(String domain, boolean ehlo) {
        try {
            Address.checkDomain(domain, false);
        } catch (AddressException e) {
            return Reply.of(501, "5.5.4", "Invalid " + (ehlo ? "EHLO" : "HELO") + " domain: " + e.getMessage());
        }
        Decision decision = settings.rules().atHelo(facts.withHelo(domain));
        if (decision.refuses()) {
            logRule(ehlo ? "EHLO" : "HELO", decision, null, null);
            return Reply.of(decision.code(), decision.enhanced(), decision.text());
        }
        Reply refused = milters.helo(domain);
        if (refused != null) {
            return refused;
        }
        state.greeted(domain, ehlo);
        facts = facts.withHelo(domain);
        String greeting = settings.hostname() + " Hello " + domain + " [" + transport.clientAddress() + "]";
        if (!ehlo) {
            return Reply.of(250, null, greeting);
        }
        List<String> lines = new ArrayList<>(List.of(greeting,
                "PIPELINING",
                "SIZE " + settings.limits().maxMessageSize(),
                "8BITMIME",
                "SMTPUTF8",
                "ENHANCEDSTATUSCODES",
                "CHUNKING",
                "BINARYMIME",
                "DSN"));
        if (transport.canStartTls()) {
            lines.add("STARTTLS");
        }
        if (transport.tls() != null) {
            lines.add("REQUIRETLS"); // RFC 8689 §2, §4.1: offered only where it can be used, under TLS
        }
        if (auth.offered()) {
            lines.add("AUTH " + String.join(" ", settings.authenticator().mechanisms()));
        }
        lines.add("HELP");
        return new Reply(250, null, lines, false);
    }

    /**
     * STARTTLS (RFC 3207). After the 220, whatever the client sent in the same breath is thrown away
     * (§4.2; CVE-2011-0411: a {@code STARTTLS\r\nNOOP\r\n} packet gets no NOOP reply inside TLS), and the
     * session starts over: no EHLO, no transaction.
     */
    private Reply startTls() throws IOException {
        if (transport.tls() != null) {
            return Reply.of(503, "5.5.1", "TLS already active");
        }
        if (!transport.canStartTls()) {
            return Reply.of(502, "5.5.1", "STARTTLS not available");
        }
        if (state.transaction() != null) {
            return Reply.of(503, "5.5.1", "STARTTLS not allowed during a mail transaction");
        }
        send(Reply.of(220, "2.0.0", "Ready to start TLS"));
        out.flush();
        int dropped = in.discardBuffered();
        if (dropped > 0) {
            MailLog.event(null, "starttls-injection").with("client", transport.clientAddress())
                    .with("discarded", dropped).warn();
        }
        deadlines.commands();
        deadlines.beforeRead(0, 0, System.nanoTime()); // bounds each read of the handshake like a command's
        transport.startTls();
        in = new SmtpInput(transport.input(), READ_BUFFERS, deadlines);
        out = new ReplyOutput(guarded(transport.output()));
        state.startOver();
        return null;
    }

    private Reply rset() {
        state.endTransaction();
        return Replies.RESET;
    }

    /** The connection's output, its writes timed by the watchdog when there is one. */
    private OutputStream guarded(OutputStream output) {
        return watch == null ? output : watch.guard(output);
    }

    private void sendLastIfClosing(Reply reply) throws IOException {
        if (reply.close()) {
            beforeLastReply.run();
        }
        send(reply);
    }

    private void send(Reply reply) throws IOException {
        Metrics.get().reply(reply.code());
        out.write(reply.toBytes());
    }

    private void sendQuietly(Reply reply) {
        try {
            send(reply);
            out.flush();
        } catch (IOException ignored) {
            // the client is gone; nothing more to tell it
        }
    }

    /** The server is stopping: 421 4.3.2 instead of reading another command (RFC 5321 §3.8). */
    private Reply shuttingDown() {
        MailLog.event(null, "disconnect").with("client", transport.clientAddress()).with("reason", "shutdown").log();
        return Replies.SHUTTING_DOWN;
    }

    /**
     * The stopping server's call from its own thread: a session waiting for a command is told 421 4.3.2 and
     * closed; a busy one (in DATA) is left to finish and say it itself.
     */
    public void stopIfIdle() {
        if (idle.claim()) {
            shuttingDown();
            sendQuietly(Replies.SHUTTING_DOWN);
            closeQuietly();
        }
    }

    /** Closes the connection at once, whatever the session is doing (the server is closing). */
    public void abort() {
        closeQuietly();
    }

    private void sendUnlessClaimed(Reply reply) {
        if (!idle.claimed()) {
            sendQuietly(reply);
        }
    }

    private void closeQuietly() {
        try {
            transport.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** The session's side of {@link Conversation}: the current streams, which STARTTLS replaces. */
    private final class Connection implements Conversation {

        @Override
        public void send(Reply reply) throws IOException {
            Session.this.send(reply);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public SmtpInput in() {
            return in;
        }

        @Override
        public TlsSession tls() {
            return transport.tls();
        }

        @Override
        public String clientAddress() {
            return transport.clientAddress();
        }

        @Override
        public InetAddress clientInetAddress() {
            return transport.clientInetAddress();
        }

        @Override
        public boolean isLoopback() {
            return transport.isLoopback();
        }
    }
}
