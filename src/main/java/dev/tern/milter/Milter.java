package dev.tern.milter;

import dev.tern.config.MilterSettings;
import dev.tern.observe.MailLog;
import dev.tern.observe.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One milter for one SMTP session: the connection, what was negotiated, and whether the milter still has a say.
 * A milter that fails (down, closed, late, garbage) is closed, logged once, and from then on gives its
 * {@code default_action} for the rest of the session, as Postfix's milter8 does.
 */
final class Milter {

    private static final Logger LOG = LoggerFactory.getLogger(Milter.class);

    final MilterSettings settings;
    private final MilterChain chain;
    private MilterConnection connection;
    private int protocol;
    /** Accepted the connection (SMFIR_ACCEPT before MAIL), or failed under default_action accept. */
    private boolean doneForSession;
    /** Accepted or discarded the current message: not asked again until the next MAIL. */
    boolean doneForMessage;
    /** After a failure under default_action tempfail or reject: the verdict every later stage gets. */
    private Verdict failed;
    /** After a failure under default_action quarantine: every later message is held. */
    boolean quarantineAll;

    Milter(MilterSettings settings, MilterChain chain) {
        this.settings = settings;
        this.chain = chain;
    }

    String name() {
        return settings.name();
    }

    /** Whether the milter takes no part anymore (accepted, or failed). */
    boolean silent() {
        return doneForSession || failed != null || connection == null;
    }

    /** The verdict of a failed milter for a stage of a transaction, or CONTINUE. */
    Verdict standing() {
        return failed == null ? Verdict.CONTINUE : failed;
    }

    boolean wants(int noFlag) {
        return (protocol & noFlag) == 0;
    }

    boolean leadingSpace() {
        return (protocol & MilterProtocol.HDR_LEADSPC) != 0;
    }

    /** Connects and negotiates (SMFIC_OPTNEG), then sends SMFIC_CONNECT. */
    Verdict connect(byte[] connectData, Map<String, String> macros) {
        try {
            connection = MilterConnection.open(settings.address(), settings.connectTimeout());
            negotiate();
        } catch (MilterException e) {
            fail("CONNECT", e);
            return Verdict.CONTINUE; // as in Postfix, the default action applies from MAIL on, not to the greeting
        }
        return ask("CONNECT", MilterProtocol.CONNECT, connectData, MilterProtocol.NOCONNECT, MilterProtocol.NR_CONN,
                macros, settings.commandTimeout());
    }

    private void negotiate() throws MilterException {
        ByteBuffer offer = ByteBuffer.allocate(12).putInt(MilterProtocol.VERSION).putInt(MilterProtocol.ACTIONS)
                .putInt(MilterProtocol.PROTOCOL);
        connection.send(MilterProtocol.OPTNEG, offer.array(), settings.connectTimeout());
        MilterConnection.Packet reply = connection.read(settings.connectTimeout());
        if (reply.code() != MilterProtocol.OPTNEG || reply.data().length < 12) {
            throw new MilterException("answered the option negotiation with " + describe(reply));
        }
        ByteBuffer data = ByteBuffer.wrap(reply.data());
        int version = data.getInt();
        int actions = data.getInt();
        int flags = data.getInt();
        if (version < 2 || version > MilterProtocol.VERSION) {
            throw new MilterException("speaks milter protocol version " + version + " (2 to 6 supported)");
        }
        if ((actions & ~MilterProtocol.ACTIONS) != 0 || (flags & ~MilterProtocol.PROTOCOL) != 0) {
            throw new MilterException(String.format("asked for actions 0x%x and steps 0x%x beyond those offered",
                    actions & ~MilterProtocol.ACTIONS, flags & ~MilterProtocol.PROTOCOL));
        }
        protocol = flags; // a macro list after the flags (v6) is not needed: we send Postfix's default sets
    }

    /**
     * Sends a command with its macros and reads the final reply, unless the milter asked to skip the step
     * ({@code noFlag}) or not to answer it ({@code noReplyFlag}).
     */
    Verdict ask(String stage, char command, byte[] data, int noFlag, int noReplyFlag, Map<String, String> macros,
                Duration timeout) {
        if (silent()) {
            return standing();
        }
        if (!wants(noFlag)) {
            return Verdict.CONTINUE;
        }
        try {
            send(command, data, macros, timeout);
            if (!wants(noReplyFlag)) {
                return Verdict.CONTINUE;
            }
            return decide(stage, finalReply(stage, timeout, null));
        } catch (MilterException e) {
            return fail(stage, e);
        }
    }

    /** A command preceded by SMFIC_MACRO with the stage's macros (only the ones with a value), in one write. */
    void send(char command, byte[] data, Map<String, String> macros, Duration timeout) throws MilterException {
        byte[] macroData = null;
        if (!macros.isEmpty()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(command);
            macros.forEach((name, value) -> {
                if (value != null) {
                    out.writeBytes(MilterConnection.strings(name.length() == 1 ? name : "{" + name + "}", value));
                }
            });
            macroData = out.toByteArray();
        }
        connection.send(macroData, command, data, timeout);
    }

    /** Sends a packet that gets no reply (body chunks with SMFIP_NR_BODY, SMFIC_ABORT). */
    void send(char command, byte[] data, Duration timeout) throws MilterException {
        connection.send(command, data, timeout);
    }

    /**
     * Reads up to the final reply; SMFIR_PROGRESS only restarts the wait. Modifications are taken only at the
     * end of the message ({@code changes} not null); anywhere else they are a protocol error.
     */
    MilterConnection.Packet finalReply(String stage, Duration timeout, Changes changes) throws MilterException {
        while (true) {
            MilterConnection.Packet p = connection.read(timeout);
            switch (p.code()) {
                case MilterProtocol.PROGRESS -> {
                    continue;
                }
                case MilterProtocol.ACCEPT, MilterProtocol.CONTINUE, MilterProtocol.REJECT, MilterProtocol.TEMPFAIL,
                        MilterProtocol.DISCARD, MilterProtocol.REPLYCODE, MilterProtocol.SKIP -> {
                    return p;
                }
                case MilterProtocol.CONNFAIL, MilterProtocol.SHUTDOWN ->
                    throw new MilterException("gave up (" + describe(p) + ")");
                default -> {
                    if (changes == null || !changes.take(p)) {
                        throw new MilterException("sent " + describe(p) + " at " + stage);
                    }
                }
            }
        }
    }

    /** The verdict of a final reply; SMFIR_ACCEPT turns the milter off for the connection or the message. */
    Verdict decide(String stage, MilterConnection.Packet reply) throws MilterException {
        boolean beforeMail = stage.equals("CONNECT") || stage.equals("HELO");
        Verdict verdict = switch (reply.code()) {
            case MilterProtocol.CONTINUE -> Verdict.CONTINUE;
            case MilterProtocol.ACCEPT -> {
                if (beforeMail) {
                    doneForSession = true;
                } else {
                    doneForMessage = true;
                }
                chain.log(this, stage, "accept", null);
                yield Verdict.CONTINUE;
            }
            case MilterProtocol.REJECT -> Verdict.reject(name());
            case MilterProtocol.TEMPFAIL -> Verdict.tempfail(name());
            case MilterProtocol.DISCARD -> {
                if (beforeMail) {
                    chain.log(this, stage, "discard-ignored", null); // there is no message to discard yet
                    yield Verdict.CONTINUE;
                }
                doneForMessage = true;
                yield Verdict.discard(name());
            }
            case MilterProtocol.REPLYCODE -> {
                Verdict v = ReplyCode.parse(reply.data(), name());
                if (v == null) {
                    throw new MilterException("sent an invalid reply code \"" + printable(reply.data()) + "\"");
                }
                yield v;
            }
            default -> throw new MilterException("sent " + describe(reply) + " at " + stage);
        };
        if (verdict.action() != Verdict.Action.CONTINUE) {
            chain.log(this, stage, verdict.action().name().toLowerCase(java.util.Locale.ROOT), verdict);
        }
        return verdict;
    }

    /** One mail log line for the changes a milter made at the end of a message. */
    void logChanges(java.util.List<Change> changes, boolean body) {
        java.util.List<String> words = new java.util.ArrayList<>(changes.stream().map(MilterChain::describe).toList());
        if (body) {
            words.add("replace-body");
        }
        Metrics.get().defence(Metrics.Defence.MILTER, "modify");
        MailLog.event(chain.queueId(), "milter").with("milter", name()).with("client", chain.client())
                .with("stage", "END-OF-MESSAGE").with("action", "modify").with("changes", String.join(", ", words))
                .log();
    }

    /** A failure: closed, logged, and the default action from now on. */
    Verdict fail(String stage, MilterException e) {
        close();
        LOG.warn("milter {} ({}) at {}: {}; default_action {}", name(), settings.address(), stage, e.getMessage(),
                settings.defaultAction().keyword());
        Metrics.get().defence(Metrics.Defence.MILTER, "default-" + settings.defaultAction().keyword());
        MailLog.event(chain.queueId(), "milter").with("milter", name()).with("client", chain.client())
                .with("stage", stage).with("action", "default-" + settings.defaultAction().keyword())
                .with("reason", e.getMessage()).warn();
        switch (settings.defaultAction()) {
            case ACCEPT -> doneForSession = true;
            case QUARANTINE -> quarantineAll = true;
            case TEMPFAIL -> failed = Verdict.tempfail(name());
            case REJECT -> failed = Verdict.reject(name());
        }
        return standing();
    }

    /** SMFIC_ABORT: the transaction ended without a message; the milter forgets it (no reply). */
    void abort() {
        doneForMessage = false;
        if (!silent()) {
            try {
                connection.send(MilterProtocol.ABORT, new byte[0], settings.commandTimeout());
            } catch (MilterException e) {
                fail("ABORT", e);
            }
        }
    }

    /** SMFIC_QUIT, then close. */
    void quit() {
        if (connection != null) {
            try {
                connection.send(MilterProtocol.QUIT, new byte[0], settings.commandTimeout());
            } catch (MilterException ignored) {
                // closing anyway
            }
            close();
        }
    }

    void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    static String describe(MilterConnection.Packet p) {
        char c = p.code();
        String code = c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format("0x%02x", (int) c);
        return "reply " + code + " (" + p.data().length + " octets)";
    }

    static String printable(byte[] data) {
        String s = new String(data, StandardCharsets.UTF_8).replaceAll("[^ -~]", "?");
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }

    /** Reads and keeps the modifications of SMFIC_BODYEOB's replies. */
    interface Changes {
        /** @return false when the packet is not a modification */
        boolean take(MilterConnection.Packet p) throws MilterException;
    }

    /** Used by {@link MilterChain} for the message stages. */
    MilterConnection connection() throws MilterException {
        if (connection == null) {
            throw new MilterException("not connected");
        }
        return connection;
    }

    @Override
    public String toString() {
        return name() + " (" + settings.address() + ")";
    }
}
