package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Short commands get a console appender set up in code; the server, tests and a named file keep logback.xml. */
class CommandLineLoggingTest {

    private static UnaryOperator<String> of(Map<String, String> values) {
        return values::get;
    }

    private static final UnaryOperator<String> NONE = name -> null;

    private static Logger root(LoggerContext context) {
        return context.getLogger(Logger.ROOT_LOGGER_NAME);
    }

    @Test
    void aShortCommandGetsOneSynchronousConsoleAppenderAtTheLevelAsked() {
        LoggerContext context = new LoggerContext();
        ExecutionStatus status = new CommandLineLogging().configure(context,
                of(Map.of("tern.cli", "true", "TERN_LOG_LEVEL", "warn")), NONE);
        assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        assertThat(root(context).getLevel()).isEqualTo(Level.WARN);
        var appender = root(context).getAppender("STDOUT");
        assertThat(appender).isInstanceOf(ConsoleAppender.class);
        assertThat(appender.isStarted()).isTrue();
        var encoder = (LayoutWrappingEncoder<?>) ((ConsoleAppender<?>) appender).getEncoder();
        assertThat(encoder.getLayout()).isInstanceOf(CommandLineLogging.Line.class);
    }

    /** What Logback's PatternLayout makes of logback.xml's pattern, the line a server would write. */
    private static String patternLayout(LoggerContext context, ILoggingEvent event) {
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.getInstanceConverterMap().put("safeMsg", dev.tern.observe.SafeMessageConverter::new);
        layout.getInstanceConverterMap().put("safeEx", dev.tern.observe.SafeThrowableConverter::new);
        layout.setPattern(CommandLineLogging.PATTERN);
        layout.start();
        return layout.doLayout(event);
    }

    @Test
    void theLineIsTheOnePatternLayoutWrites() {
        LoggerContext context = new LoggerContext();
        CommandLineLogging.Line line = new CommandLineLogging.Line();
        line.setContext(context);
        line.start();
        Logger mail = context.getLogger("tern.mail");
        Logger queue = context.getLogger("dev.tern.queue.FileSpool");
        Logger bare = context.getLogger("bare");
        List<ILoggingEvent> events = List.of(
                new LoggingEvent("x", mail, Level.INFO, "{}: accepted via={}", null, new Object[] {"1L8X", "sendmail"}),
                new LoggingEvent("x", queue, Level.WARN, "cannot reach the server", null, null),
                new LoggingEvent("x", bare, Level.ERROR, "failed", new IOException("disk full", new IllegalStateException("inner")),
                        null),
                new LoggingEvent("x", bare, Level.DEBUG, "100% ünïcode", null, null),
                new LoggingEvent("x", bare, Level.WARN, "peer said {}", new IOException("bad\r\nline"),
                        new Object[] {"x\nINFO  mail: auth-failed client=203.0.113.50"}));
        for (ILoggingEvent event : events) {
            assertThat(line.doLayout(event)).isEqualTo(patternLayout(context, event));
        }
    }

    @Test
    void theLevelComesFromThePropertyThenTheEnvironmentThenInfo() {
        assertThat(CommandLineLogging.level(of(Map.of("TERN_LOG_LEVEL", "error")), of(Map.of("TERN_LOG_LEVEL", "debug"))))
                .isEqualTo("error");
        assertThat(CommandLineLogging.level(NONE, of(Map.of("TERN_LOG_LEVEL", "debug")))).isEqualTo("debug");
        assertThat(CommandLineLogging.level(NONE, NONE)).isEqualTo("info");
    }

    @Test
    void theServerTestsAndANamedFileAreLeftToLogbackXml() {
        LoggerContext context = new LoggerContext();
        CommandLineLogging logging = new CommandLineLogging();
        assertThat(logging.configure(context, NONE, NONE)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(logging.configure(context, of(Map.of("tern.cli", "true", "logback.configurationFile", "my.xml")),
                NONE)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(root(context).iteratorForAppenders().hasNext()).isFalse();
    }

    @Test
    void logbackFindsItAndItsPatternIsLogbackXmls() throws IOException {
        try (InputStream in = getClass().getResourceAsStream(
                "/META-INF/services/ch.qos.logback.classic.spi.Configurator")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip())
                    .isEqualTo(CommandLineLogging.class.getName());
        }
        try (InputStream in = getClass().getResourceAsStream("/logback.xml")) {
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(xml).contains("<pattern>" + CommandLineLogging.PATTERN + "</pattern>");
        }
    }

    @Test
    void everyCommandButServeAsksForIt() {
        String cli = System.getProperty(CommandLineLogging.PROPERTY);
        String level = System.getProperty("TERN_LOG_LEVEL");
        try {
            System.clearProperty(CommandLineLogging.PROPERTY);
            Main.quietUnlessServing(new String[] {"serve"});
            assertThat(System.getProperty(CommandLineLogging.PROPERTY)).isNull();
            Main.quietUnlessServing(new String[] {"queue", "list"});
            assertThat(System.getProperty(CommandLineLogging.PROPERTY)).isEqualTo("true");
        } finally {
            restore(CommandLineLogging.PROPERTY, cli);
            restore("TERN_LOG_LEVEL", level);
        }
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
