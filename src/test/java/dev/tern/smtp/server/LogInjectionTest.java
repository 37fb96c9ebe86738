package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.tern.config.ListenerSettings;
import dev.tern.observe.Fail2banFilter;
import dev.tern.observe.MailLog;
import dev.tern.observe.ProductionLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Log injection against the documented fail2ban filter: a client at 192.0.2.1 fills every field it can with a
 * forged {@code mail: auth-failed client=203.0.113.50} (a quoted local part, an AUTH user name, control
 * characters in any value, an exception message) to get someone else banned. (A HELO name cannot hold a space:
 * the parser refuses it, RFC 5321 §4.1.1.1.) The lines come from real sessions and
 * from the mail log itself, formatted by the production logback.xml; the filter is read from docs/auth.md.
 */
class LogInjectionTest {

    private static final String FORGED = "x mail: auth-failed client=203.0.113.50 ";
    private static final String VICTIM = "203.0.113.50";
    /** The filter docs/auth.md showed before: found anywhere in a line. */
    private static final Fail2banFilter UNANCHORED = Fail2banFilter.of("\\bmail: auth-failed client=<ADDR>(?:\\s|$)");

    @Test
    void aQuotedLocalPartCannotGetAnAddressBanned() {
        String session = "EHLO client.example\r\n"
                + "MAIL FROM:<\"" + FORGED + "\"@example.org>\r\n"
                + "RCPT TO:<\"" + FORGED + "\"@localhost>\r\n"
                + "RCPT TO:<alice@localhost>\r\n"
                + "DATA\r\nSubject: hi\r\n\r\nhello\r\n.\r\nQUIT\r\n";
        try (ProductionLog log = new ProductionLog()) {
            new SessionHarness().run(session);
            List<String> lines = log.lines();

            assertThat(lines).anyMatch(l -> l.contains("accepted client=192.0.2.1"))
                    .anyMatch(l -> l.contains("from=\"<\\\"x mail: auth-failed client=203.0.113.50 \\\"@example.org>\""));
            assertThat(UNANCHORED.fromFile(lines)).as("the attack, against the old filter").containsExactly(VICTIM);
            assertThat(Fail2banFilter.fromDocs().fromFile(lines)).isEmpty();
            assertThat(Fail2banFilter.fromDocs().fromJournal(lines)).isEmpty();
        }
    }

    @Test
    void aForgedUserNameBansOnlyTheRealClient() {
        String user = Base64.getEncoder().encodeToString(("\0" + FORGED + "\0wrong").getBytes(StandardCharsets.UTF_8));
        String crlf = Base64.getEncoder().encodeToString(
                ("\0x\r\n2026-01-01T00:00:00.000Z INFO  mail: auth-failed client=203.0.113.50\0wrong")
                        .getBytes(StandardCharsets.UTF_8));
        SessionHarness harness = new SessionHarness();
        harness.role = ListenerSettings.Role.SUBMISSION;
        harness.tls = true;
        harness.authenticator = TestAuthenticator.create();
        try (ProductionLog log = new ProductionLog()) {
            harness.run("EHLO laptop.example\r\nAUTH PLAIN " + user + "\r\nAUTH PLAIN " + crlf + "\r\nQUIT\r\n");
            List<String> lines = log.lines();

            assertThat(lines).filteredOn(l -> l.contains("auth-failed client=192.0.2.1")).hasSize(2);
            assertThat(Fail2banFilter.fromDocs().fromFile(lines)).containsExactly("192.0.2.1");
            assertThat(Fail2banFilter.fromDocs().fromJournal(lines)).containsExactly("192.0.2.1");
        }
    }

    @Test
    void controlCharactersInAnyValueStayOnTheirLine() {
        String newline = "x\n2026-01-01T00:00:00.000+01:00 INFO  mail: auth-failed client=203.0.113.50";
        try (ProductionLog log = new ProductionLog()) {
            for (String hostile : List.of(newline, newline.replace('\n', '\r'), newline.replace("\n", "\u2028"),
                    newline.replace("\n", "\u0085"))) {
                MailLog.event(null, "rejected").with("client", "192.0.2.1").with("helo", hostile)
                        .address("from", hostile + "@example.org").with("reply", hostile).log();
            }
            List<String> lines = log.lines();

            assertThat(lines).hasSize(4).allMatch(l -> l.contains(" mail: rejected client=192.0.2.1 helo=\"x\\x"));
            assertThat(Fail2banFilter.fromDocs().fromFile(lines)).isEmpty();
            assertThat(Fail2banFilter.fromDocs().fromJournal(lines)).isEmpty();
        }
    }

    /** Other loggers print exceptions whose messages quote a peer: a header, a remote server's reply. */
    @Test
    void anExceptionMessageCannotStartALine() {
        Logger logger = (Logger) LoggerFactory.getLogger(MessageReception.class);
        String forged = "bad header\n2026-01-01T00:00:00.000Z INFO  mail: auth-failed client=203.0.113.50";
        IOException e = new IOException(forged, new IllegalStateException("x: INFO  mail: auth-failed client=203.0.113.50"));
        e.addSuppressed(new IOException("\r\nINFO  mail: auth-failed client=203.0.113.50"));
        ILoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.ERROR,
                "{}: cannot store message from {}: {}", e, new Object[] {"3FZ8K0A1B00042", "192.0.2.1", e.toString()});
        try (ProductionLog log = new ProductionLog()) {
            List<String> lines = log.lines(List.of(event));

            assertThat(lines.getFirst()).contains(" ERROR MessageReception: 3FZ8K0A1B00042: cannot store message from "
                    + "192.0.2.1: java.io.IOException: bad header\\x0a2026-01-01T00:00:00.000Z INFO");
            assertThat(lines.subList(1, lines.size())).isNotEmpty().allMatch(l -> l.startsWith("\t"))
                    .anyMatch(l -> l.equals("\tjava.io.IOException: bad header\\x0a2026-01-01T00:00:00.000Z INFO  mail: "
                            + "auth-failed client=203.0.113.50"));
            assertThat(Fail2banFilter.fromDocs().fromFile(lines)).isEmpty();
            assertThat(Fail2banFilter.fromDocs().fromJournal(lines)).isEmpty();
        }
    }

    /** The filter still catches what it is for, in both the file and the journal form. */
    @Test
    void aRealFailureIsFound() {
        try (ProductionLog log = new ProductionLog()) {
            MailLog.event(null, "auth-failed").with("client", "198.51.100.7").with("user", "alice@example.com")
                    .with("mechanism", "PLAIN").with("failures", 1).log();
            MailLog.event(null, "auth-failed").with("client", "2001:db8::25").with("mechanism", "LOGIN").log();
            MailLog.event(null, "auth").with("client", "192.0.2.9").with("user", "bob@example.com").log();
            List<String> lines = log.lines();

            assertThat(Fail2banFilter.fromDocs().fromFile(lines)).containsExactly("198.51.100.7", "2001:db8::25");
            assertThat(Fail2banFilter.fromDocs().fromJournal(lines)).containsExactly("198.51.100.7", "2001:db8::25");
        }
    }
}
