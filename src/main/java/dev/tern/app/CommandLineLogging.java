package dev.tern.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.function.UnaryOperator;

/**
 * Logging for the short commands ({@code tern sendmail}, {@code tern queue ...}): one console appender set up
 * in code. Without it Logback parses {@code logback.xml}, and its XML configurator was about 40% of the
 * start-up of {@code tern sendmail} (which logs through the queue); the file's asynchronous appender could
 * also lose the last lines of a command that ends in {@code System.exit}. {@link Main} sets
 * {@value #PROPERTY} for every command but {@code serve}; without it (the server, tests), or when the operator
 * names a file with {@code -Dlogback.configurationFile}, this steps aside and {@code logback.xml} applies.
 * Logback finds it through {@code META-INF/services}.
 */
public final class CommandLineLogging extends ContextAwareBase implements Configurator {

    static final String PROPERTY = "tern.cli";
    /** The same line as logback.xml's. */
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0}: %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        return configure(context, System::getProperty, System::getenv);
    }

    ExecutionStatus configure(LoggerContext context, UnaryOperator<String> properties, UnaryOperator<String> env) {
        if (!"true".equals(properties.apply(PROPERTY)) || properties.apply("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
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

    /** As {@code ${TERN_LOG_LEVEL:-info}} in logback.xml: the system property, else the environment. */
    static String level(UnaryOperator<String> properties, UnaryOperator<String> env) {
        String level = properties.apply("TERN_LOG_LEVEL");
        if (level == null) {
            level = env.apply("TERN_LOG_LEVEL");
        }
        return level == null ? "info" : level;
    }
}
