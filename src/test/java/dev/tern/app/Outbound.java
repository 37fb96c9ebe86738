package dev.tern.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tern.config.ConfigLoader;
import dev.tern.config.TernConfig;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/** What the outbound integration tests share: config files, mailboxes, the mail log, bounces, the CLI. */
final class Outbound {

    private Outbound() {
    }

    /** Loads {@code toml} as the server would, with {@code dataDir} as the data directory. */
    static TernConfig load(Path dir, String toml, Path dataDir) throws Exception {
        Path file = dir.resolve("tern-" + System.nanoTime() + ".toml");
        Files.writeString(file, toml);
        return ConfigLoader.load(file, TernConfig.defaults("unused.test", dataDir));
    }

    /** The first message in {@code user@domain}'s {@code new/} that matches, waiting up to {@code timeout}. */
    static Optional<String> awaitMail(Path dataDir, String address, Predicate<String> matching, Duration timeout)
            throws Exception {
        String[] parts = address.split("@");
        Path newDir = dataDir.resolve("mail").resolve(parts[1]).resolve(parts[0]).resolve("new");
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            for (String text : mails(newDir)) {
                if (matching.test(text)) {
                    return Optional.of(text);
                }
            }
            if (Instant.now().isAfter(deadline)) {
                return Optional.empty();
            }
            Thread.sleep(20);
        }
    }

    static List<String> mails(Path newDir) throws Exception {
        List<String> out = new ArrayList<>();
        for (Path file : TernFixture.list(newDir)) {
            out.add(Files.readString(file, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Polls {@code condition} until it holds or the time is up; returns whether it held. */
    static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** What one {@code tern ...} command printed, and its exit code. */
    record Run(int exit, String out, String err) {
    }

    /** Runs the real command line ({@link Main#commandLine}) in this JVM. */
    static Run tern(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** A delivery status notification (RFC 3464) read with Jakarta Mail. */
    record Dsn(MimeMessage message, InternetHeaders perMessage, List<InternetHeaders> recipients,
               String returned) {

        String field(int recipient, String name) {
            String value = recipients.get(recipient).getHeader(name, null);
            return value == null ? null : jakarta.mail.internet.MimeUtility.unfold(value);
        }
    }

    /**
     * Parses a stored bounce: {@code multipart/report; report-type=delivery-status} with a human-readable
     * part, a {@code message/delivery-status} part (per-message fields, then one block per recipient), and
     * the returned message or its headers.
     */
    static Dsn parseDsn(String stored) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(stored.getBytes(StandardCharsets.UTF_8)));
        if (!m.isMimeType("multipart/report")
                || !"delivery-status".equalsIgnoreCase(new jakarta.mail.internet.ContentType(m.getContentType())
                        .getParameter("report-type"))) {
            throw new AssertionError("not a delivery status report: " + m.getContentType());
        }
        Multipart report = (Multipart) m.getContent();
        Part status = null;
        String returned = null;
        for (int i = 0; i < report.getCount(); i++) {
            Part p = report.getBodyPart(i);
            if (p.isMimeType("message/delivery-status")) {
                status = p;
            } else if (i > 0 && (p.isMimeType("message/rfc822") || p.isMimeType("text/rfc822-headers"))) {
                try (InputStream in = p.getInputStream()) {
                    returned = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        if (status == null) {
            throw new AssertionError("no message/delivery-status part");
        }
        try (InputStream in = status.getInputStream()) {
            InternetHeaders perMessage = new InternetHeaders(in);
            List<InternetHeaders> recipients = new ArrayList<>();
            while (true) {
                InternetHeaders block = new InternetHeaders(in);
                if (!block.getAllHeaders().hasMoreElements()) {
                    break;
                }
                recipients.add(block);
            }
            return new Dsn(m, perMessage, recipients, returned);
        }
    }

    /** Collects the {@code tern.mail} log lines while open. */
    static final class MailLogLines implements AutoCloseable {
        private final Logger logger = (Logger) LoggerFactory.getLogger("tern.mail");
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
        private final Level level = logger.getLevel();

        MailLogLines() {
            appender.start();
            logger.addAppender(appender);
            logger.setLevel(Level.INFO);
            logger.setAdditive(false); // the lines are for the assertions, not the console
        }

        List<String> lines() {
            synchronized (appender) { // AppenderBase appends under this lock
                return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            }
        }

        Optional<String> await(Predicate<String> matching, Duration timeout) throws InterruptedException {
            Instant deadline = Instant.now().plus(timeout);
            while (true) {
                Optional<String> found = lines().stream().filter(matching).findFirst();
                if (found.isPresent() || Instant.now().isAfter(deadline)) {
                    return found;
                }
                Thread.sleep(20);
            }
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
            logger.setLevel(level);
            logger.setAdditive(true);
        }
    }
}
