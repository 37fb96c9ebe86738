package dev.tern.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.tern.observe.LogText;
import dev.tern.observe.SafeThrowableConverter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.UnaryOperator;

/**
 * Logging for the short commands ({@code tern sendmail}, {@code tern queue ...}): one console appender set up
 * in code, writing logback.xml's line. Without it Logback parses {@code logback.xml}, and its XML configurator was about 40% of the
 * start-up of {@code tern sendmail} (which logs through the queue); the file's asynchronous appender could
 * also lose the last lines of a command that ends in {@code System.exit}. {@link Main} sets
 * {@value #PROPERTY} for every command but {@code serve}; without it (the server, tests), or when the operator
 * names a file with {@code -Dlogback.configurationFile}, this steps aside and {@code logback.xml} applies.
 * Logback finds it through {@code META-INF/services}.
 */
public final class CommandLineLogging extends ContextAwareBase implements Configurator {

    static final String PROPERTY = "tern.cli";
    /** logback.xml's line, which {@link Line} writes. */
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0}: %safeMsg%n%safeEx";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        return configure(context, System::getProperty, System::getenv);
    }

    ExecutionStatus configure(LoggerContext context, UnaryOperator<String> properties, UnaryOperator<String> env) {
        if (!"true".equals(properties.apply(PROPERTY)) || properties.apply("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        Line line = new Line();
        line.setContext(context);
        line.start();
        encoder.setLayout(line);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level(properties, env)));
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * {@link #PATTERN}, written out: Logback's {@code PatternLayout} registers every converter it knows when
     * first used, a quarter of the logging set-up, for five fields.
     */
    static final class Line extends LayoutBase<ILoggingEvent> {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        /** logback.xml's %safeEx: escaped messages, every trace line indented (see docs/auth.md). */
        private final SafeThrowableConverter traces = new SafeThrowableConverter();

        @Override
        public void start() {
            traces.setContext(getContext());
            traces.start();
            super.start();
        }

        @Override
        public String doLayout(ILoggingEvent event) {
            String logger = event.getLoggerName();
            String level = event.getLevel().toString();
            StringBuilder line = new StringBuilder(128)
                    .append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()).atZone(ZoneId.systemDefault())))
                    .append(' ')
                    .append(level)
                    .append(" ".repeat(Math.max(0, 5 - level.length())))
                    .append(' ')
                    .append(logger.substring(logger.lastIndexOf('.') + 1))
                    .append(": ")
                    .append(LogText.escape(event.getFormattedMessage())) // logback.xml's %safeMsg
                    .append(CoreConstants.LINE_SEPARATOR);
            if (event.getThrowableProxy() != null) {
                line.append(traces.convert(event)); // ends with a line separator
            }
            return line.toString();
        }
    }

    /** As {@code ${TERN_LOG_LEVEL:-info}} in logback.xml: the system property, else the environment. */
    static String level(UnaryOperator<String> properties, UnaryOperator<String> env) {
        String level = properties.apply("TERN_LOG_LEVEL");
        if (level == null) {
            level = env.apply("TERN_LOG_LEVEL");
        }
        return level == null ? "info" : level;
    }
}
