package dev.tern.admin;

import dev.tern.control.ControlClient;
import dev.tern.control.ControlCommands;
import dev.tern.control.ControlReply;
import dev.tern.mail.Address;
import dev.tern.mail.AddressException;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.mail.Recipient;
import dev.tern.mail.header.AddressList;
import dev.tern.mail.header.HeaderField;
import dev.tern.mail.header.TlsRequiredField;
import dev.tern.observe.MailLog;
import dev.tern.queue.FileSpool;
import dev.tern.queue.Spool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tern sendmail}: the sendmail command line that local programs (cron, mail, PHP, git send-email...)
 * use to send mail. The message is read from standard input, completed (From, Date, Message-ID when missing;
 * Bcc removed), committed to the spool, and handed to the running server through its control socket; with no
 * server running it waits in the spool for the next start. Exit 0 once the message is safely queued.
 */
@Command(name = "sendmail", mixinStandardHelpOptions = true,
        description = {"Queue a message read from standard input, like sendmail(1); see docs/sendmail.md.",
                "Recipients come from the command line and, with -t, from the To, Cc and Bcc headers."})
final class SendmailCommand implements Callable<Integer> {

    private static final DateTimeFormatter RFC5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    @Spec
    CommandSpec spec;
    @Mixin
    DataOptions data;

    @Option(names = "-t", description = "Also take recipients from the To, Cc and Bcc headers.")
    boolean fromHeaders;
    @Option(names = {"-f", "-r"}, paramLabel = "SENDER",
            description = "Envelope sender (default: your user name at the first local domain; <> for none).")
    String sender;
    @Option(names = "-F", paramLabel = "NAME", description = "Your full name, for a From header added here.")
    String fullName;
    @Option(names = {"-i", "-oi"}, description = "A line with a single dot is content, not the end of input.")
    boolean dotIsContent;
    @Option(names = {"-odi", "-odb", "-odq", "-oem", "-oee", "-oep", "-oeq", "-om", "-bm", "-v"}, hidden = true,
            description = "Accepted for compatibility and ignored.")
    boolean ignored;
    @Option(names = {"-B", "-N", "-R", "-X", "-o"}, paramLabel = "VALUE", hidden = true,
            description = "Accepted for compatibility and ignored.")
    String ignoredValue;
    @Parameters(paramLabel = "RECIPIENT", arity = "0..*",
            description = "Recipient addresses; a bare user name gets the first local domain.")
    List<String> recipients = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        QueueAccess access = new QueueAccess(data);
        String user = System.getProperty("user.name");
        Address from = envelopeSender(access, user);
        SendmailInput input = SendmailInput.read(TernCommand.root(spec).stdin(), !dotIsContent,
                access.config().limits().maxMessageSize());
        List<Recipient> rcpts = recipients(access, input);
        Address author = from.isNull() ? address(user, access, "your user name") : from;
        FileSpool spool = FileSpool.shared(access.dataDir());
        QueueId id;
        try (Spool.Draft draft = spool.create()) {
            byte[] content = content(input, draft.id(), access.hostname(), author, user);
            OutputStream out = draft.content();
            out.write(content);
            out.flush();
            boolean utf8 = from.isInternational() || rcpts.stream().anyMatch(r -> r.address().isInternational());
            // RFC 8689 §4.3: a program that does not need TLS says so with TLS-Required: No, which the first
            // server honours (§4.1); here the queue is that server. (REQUIRETLS needs SMTP: submission.)
            draft.commit(new Envelope(from, rcpts, eightBit(content) ? Envelope.BodyType.EIGHT_BIT_MIME
                    : Envelope.BodyType.SEVEN_BIT, utf8, null, null, null, null, user, Instant.now())
                    .withTlsOptional(TlsRequiredField.saysNo(input.headers())));
            id = draft.id();
        }
        MailLog.event(id.value(), "accepted").with("via", "sendmail").with("user", user).address("from", from)
                .with("rcpts", rcpts.size()).log();
        handOff(access, id);
        return 0;
    }

    /** Tells a running server; without one the message waits in the spool for the next start. */
    private void handOff(QueueAccess access, QueueId id) {
        try {
            Optional<ControlReply> reply = ControlClient.send(access.dataDir(), ControlCommands.request("QUEUED", id.value()));
            if (reply.isPresent() && !reply.get().ok()) {
                spec.commandLine().getErr().println("tern sendmail: queued as " + id + ", but the server said: "
                        + reply.get().text());
            }
        } catch (IOException e) {
            spec.commandLine().getErr().println("tern sendmail: queued as " + id + "; the server was not told ("
                    + e.getMessage() + "), it is delivered at the next flush or start");
        }
    }

    private Address envelopeSender(QueueAccess access, String user) throws UserError {
        if (sender == null) {
            return address(user, access, "your user name");
        }
        String s = sender.strip();
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        return s.isEmpty() ? Address.NULL : address(s, access, "the sender");
    }

    /** A mailbox; a bare local part gets the first local domain, as sendmail's local delivery would. */
    private static Address address(String text, QueueAccess access, String what) throws UserError {
        String full = text.contains("@") ? text : text + "@" + access.firstDomain();
        try {
            return Address.parseMailbox(full, true);
        } catch (AddressException e) {
            throw new UserError(what + " " + text + " is not a valid address: " + e.getMessage());
        }
    }

    private List<Recipient> recipients(QueueAccess access, SendmailInput input) throws UserError {
        List<String> texts = new ArrayList<>(recipients);
        if (fromHeaders) {
            for (HeaderField f : input.headers()) {
                if (f.is("To") || f.is("Cc") || f.is("Bcc")) {
                    texts.addAll(AddressList.parse(f.value().strip()));
                }
            }
        }
        Map<String, Recipient> unique = new LinkedHashMap<>();
        for (String text : texts) {
            Address a = address(text.strip(), access, "the recipient");
            unique.putIfAbsent(a.key(), Recipient.of(a));
        }
        if (unique.isEmpty()) {
            throw new UserError("no recipients: name them on the command line, or use -t with To, Cc or Bcc headers");
        }
        return List.copyOf(unique.values());
    }

    /** Trace header, the headers without Bcc, the missing From/Date/Message-ID, then the body, all CRLF. */
    private byte[] content(SendmailInput input, QueueId id, String host, Address author, String user) {
        String now = RFC5322.format(ZonedDateTime.now());
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        line(out, "Received: by " + host + " (Tern sendmail, from user " + user + ")");
        line(out, "\tid " + id + "; " + now);
        for (HeaderField f : input.headers()) {
            if (!f.is("Bcc")) { // RFC 5322 §3.6.3: Bcc recipients stay hidden from the others
                out.writeBytes(input.lines(f));
            }
        }
        if (!input.has("From")) {
            line(out, "From: " + (fullName == null || fullName.isBlank() ? author.toString()
                    : quote(fullName.strip()) + " <" + author + ">"));
        }
        if (!input.has("Date")) {
            line(out, "Date: " + now);
        }
        if (!input.has("Message-ID")) {
            line(out, "Message-ID: <" + id + "@" + host + ">");
        }
        line(out, "");
        out.writeBytes(input.body());
        return out.toByteArray();
    }

    /** A display name as an RFC 5322 quoted-string unless it is plain words. */
    private static String quote(String name) {
        if (name.matches("[A-Za-z0-9 !#$%&'*+/=?^_`{|}~-]+")) {
            return name;
        }
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void line(ByteArrayOutputStream out, String text) {
        line(out, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void line(ByteArrayOutputStream out, byte[] bytes) {
        out.write(bytes, 0, bytes.length);
        out.write('\r');
        out.write('\n');
    }

    private static boolean eightBit(byte[] content) {
        for (byte b : content) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }
}
