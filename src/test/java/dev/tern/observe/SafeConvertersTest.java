package dev.tern.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The production layout of logback.xml: any logger's message on one line, stack traces indented. */
class SafeConvertersTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.tern.smtp.server.Session");

    @Test
    void aMessageArgumentCannotBreakTheLine() {
        try (ProductionLog log = new ProductionLog()) {
            List<String> lines = log.lines(List.of(event(Level.DEBUG, "HELO {} from {}", null,
                    "a\r\nb\u001b[2Jc\u2028d", "192.0.2.1")));

            assertThat(lines).singleElement().asString()
                    .endsWith(" DEBUG Session: HELO a\\x0d\\x0ab\\x1b[2Jc\\x{2028}d from 192.0.2.1");
        }
    }

    @Test
    void aStackTraceKeepsItsShapeIndentedWithItsMessagesEscaped() {
        IllegalStateException cause = new IllegalStateException("inner\nline");
        RuntimeException e = new RuntimeException("outer\r\nline", cause);
        e.addSuppressed(new java.io.IOException("suppressed\u0085line"));
        try (ProductionLog log = new ProductionLog()) {
            List<String> lines = log.lines(List.of(event(Level.ERROR, "unexpected error in session with {}", e,
                    "192.0.2.1")));

            assertThat(lines.getFirst()).endsWith(" ERROR Session: unexpected error in session with 192.0.2.1");
            List<String> trace = lines.subList(1, lines.size());
            assertThat(trace).allMatch(l -> l.startsWith("\t"))
                    .contains("\tjava.lang.RuntimeException: outer\\x0d\\x0aline")
                    .anyMatch(l -> l.startsWith("\t\tat dev.tern.observe.SafeConvertersTest."))
                    .anyMatch(l -> l.startsWith("\t\tSuppressed: java.io.IOException: suppressed\\x85line"))
                    .anyMatch(l -> l.equals("\tCaused by: java.lang.IllegalStateException: inner\\x0aline"));
        }
    }

    private ILoggingEvent event(Level level, String format, Throwable t, Object... args) {
        return new LoggingEvent(Logger.class.getName(), logger, level, format, t, args);
    }
}
