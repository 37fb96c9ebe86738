package dev.tern.milter;

import dev.tern.config.MilterSettings;
import dev.tern.observe.MailLog;
import dev.tern.observe.Metrics;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The milters of one SMTP session, asked in the configured order at each stage (Postfix's
 * {@code smtpd_milters}). The first milter that does not let the stage go on decides it, and the later ones are
 * not asked. Not thread-safe: one session uses it.
 */
public final class MilterChain implements AutoCloseable {

    private final List<Milter> milters = new ArrayList<>();
    private final String client;
    private String queueId;

    /** @param client the client's address, for the mail log */
    public MilterChain(List<MilterSettings> settings, String client) {
        this.client = client;
        for (MilterSettings s : settings) {
            milters.add(new Milter(s, this));
        }
    }

    public boolean isEmpty() {
        return milters.isEmpty();
    }

    /** The queue id for the mail log lines, once the message has one (DATA). */
    public void queueId(String id) {
        this.queueId = id;
    }

    String queueId() {
        return queueId;
    }

    String client() {
        return client;
    }

    /**
     * Connects every milter and sends SMFIC_CONNECT: the client's name ({@code [address]} when it has none, as
     * Sendmail writes it), its family, port and address.
     */
    public Verdict connect(String clientName, InetAddress address, int port, Map<String, String> macros) {
        byte[] host = MilterConnection.strings(clientName == null ? "[" + address.getHostAddress() + "]" : clientName);
        byte[] addr = MilterConnection.strings(address.getHostAddress());
        ByteBuffer data = ByteBuffer.allocate(host.length + 3 + addr.length).put(host)
                .put((byte) (address instanceof Inet6Address ? '6' : '4')).putShort((short) port).put(addr);
        Verdict verdict = Verdict.CONTINUE;
        for (Milter m : milters) {
            Verdict v = m.connect(data.array(), macros);
            if (v.action() != Verdict.Action.CONTINUE && verdict.action() == Verdict.Action.CONTINUE) {
                verdict = v; // every milter is connected all the same, so the session's later stages find it
            }
        }
        return verdict;
    }

    public Verdict helo(String name, Map<String, String> macros) {
        return each("HELO", MilterProtocol.HELO, MilterConnection.strings(name), MilterProtocol.NOHELO,
                MilterProtocol.NR_HELO, macros);
    }

    /** SMFIC_MAIL: {@code <sender>} and its ESMTP arguments. A new transaction: accepts of the last one end. */
    public Verdict mail(String sender, List<String> args, Map<String, String> macros) {
        for (Milter m : milters) {
            m.doneForMessage = false;
        }
        return each("MAIL", MilterProtocol.MAIL, path(sender, args), MilterProtocol.NOMAIL, MilterProtocol.NR_MAIL,
                macros);
    }

    public Verdict rcpt(String recipient, List<String> args, Map<String, String> macros) {
        return each("RCPT", MilterProtocol.RCPT, path(recipient, args), MilterProtocol.NORCPT, MilterProtocol.NR_RCPT,
                macros);
    }

    public Verdict data(Map<String, String> macros) {
        return each("DATA", MilterProtocol.DATA, new byte[0], MilterProtocol.NODATA, MilterProtocol.NR_DATA, macros);
    }

    private Verdict each(String stage, char command, byte[] data, int noFlag, int noReplyFlag,
                         Map<String, String> macros) {
        boolean inMessage = command != MilterProtocol.HELO;
        for (Milter m : milters) {
            if (inMessage ? m.doneForMessage : m.silent()) {
                continue; // a milter that failed at connect refuses from MAIL on, not HELO
            }
            Verdict v = m.ask(stage, command, data, noFlag, noReplyFlag, macros, m.settings.commandTimeout());
            if (v.action() != Verdict.Action.CONTINUE && (inMessage || v.refuses())) {
                return v;
            }
        }
        return Verdict.CONTINUE;
    }

    /**
     * The end of the message: each milter reads it as the earlier ones left it and may change it.
     *
     * @param maxBody the largest replacement body taken from a milter (the message size limit)
     * @throws IOException when the message itself cannot be read or rewritten (the spool's failure, not a milter's)
     */
    public EndOfMessage end(MessageSource message, Map<String, String> macros, long maxBody) throws IOException {
        List<Change> envelope = new ArrayList<>();
        String quarantine = null;
        for (Milter m : milters) {
            MessageStages.Outcome outcome = MessageStages.run(m, message, macros, maxBody);
            if (outcome.verdict().action() != Verdict.Action.CONTINUE) {
                return new EndOfMessage(outcome.verdict(), List.of(), null);
            }
            envelope.addAll(outcome.envelope());
            if (quarantine == null && outcome.quarantine() != null) {
                quarantine = "milter " + m.name() + ": " + outcome.quarantine();
                log(m, "END-OF-MESSAGE", "quarantine", null, outcome.quarantine());
            } else if (quarantine == null && m.quarantineAll) {
                quarantine = "milter " + m.name() + " unavailable (default_action quarantine)";
            }
        }
        return new EndOfMessage(Verdict.CONTINUE, envelope, quarantine);
    }

    /** SMFIC_ABORT to every milter: the transaction ended without a message (RSET, refusal, new EHLO). */
    public void abort() {
        for (Milter m : milters) {
            m.abort();
        }
        queueId = null;
    }

    /** SMFIC_QUIT to every milter, and the connections closed. */
    @Override
    public void close() {
        for (Milter m : milters) {
            m.quit();
        }
    }

    void log(Milter m, String stage, String action, Verdict verdict) {
        log(m, stage, action, verdict, null);
    }

    private void log(Milter m, String stage, String action, Verdict verdict, String reason) {
        Metrics.get().defence(Metrics.Defence.MILTER, action);
        MailLog.event(queueId, "milter").with("milter", m.name()).with("client", client).with("stage", stage)
                .with("action", action)
                .with("reply", verdict == null || !verdict.refuses() ? null
                        : verdict.code() + " " + verdict.enhanced() + " " + String.join(" ", verdict.lines()))
                .with("reason", reason).log();
    }

    /** {@code <path>} then each ESMTP argument, NUL-terminated (Postfix sends the path with its brackets). */
    private static byte[] path(String address, List<String> args) {
        List<String> all = new ArrayList<>();
        all.add("<" + address + ">");
        all.addAll(args);
        return MilterConnection.strings(all.toArray(String[]::new));
    }

    /** A change as the mail log shows it. */
    public static String describe(Change change) {
        return switch (change) {
            case Change.AddHeader c -> "add-header " + c.name();
            case Change.InsertHeader c -> "insert-header " + c.name() + " at " + c.index();
            case Change.ChangeHeader c -> (c.value().isEmpty() ? "delete-header " : "change-header ") + c.name()
                    + " #" + c.index();
            case Change.ChangeSender c -> "change-sender <" + c.address() + ">";
            case Change.AddRecipient c -> "add-rcpt <" + c.address() + ">";
            case Change.DeleteRecipient c -> "delete-rcpt <" + c.address() + ">";
        };
    }

    static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }
}
