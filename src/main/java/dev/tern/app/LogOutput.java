package dev.tern.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.tern.config.ServiceSettings;
import dev.tern.observe.BatchingAppender;
import dev.tern.observe.JsonLineEncoder;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The server's log output beyond logback.xml: JSON lines when {@code [log] format = "json"} (or the
 * {@code TERN_LOG_FORMAT} property or environment variable says {@code json}), and the last lines flushed
 * when the server stops. logback.xml's console appender behind the asynchronous one gets the
 * {@link JsonLineEncoder}, so the asynchronous queue stays in front of it.
 */
final class LogOutput {

    static final String VARIABLE = "TERN_LOG_FORMAT";

    private LogOutput() {
    }

    /** The format the operator asked for: the property or environment variable, else the config file. */
    static ServiceSettings.LogFormat chosen(ServiceSettings.LogFormat configured) {
        String text = System.getProperty(VARIABLE, System.getenv(VARIABLE));
        if (text == null || text.isBlank()) {
            return configured;
        }
        return text.strip().toLowerCase(Locale.ROOT).equals("json") ? ServiceSettings.LogFormat.JSON
                : ServiceSettings.LogFormat.TEXT;
    }

    /** Writes the log as JSON lines from now on; does nothing when Logback is not configured by logback.xml. */
    static void useJson() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        if (!(root.getAppender("ASYNC") instanceof BatchingAppender async)
                || !(async.getAppender("STDOUT") instanceof OutputStreamAppender<ILoggingEvent> console)) {
            return;
        }
        // The asynchronous appender takes one appender, once: the console appender keeps its place and its
        // output, and gets the JSON encoder (the appender encodes under its own lock, so this is safe).
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(context);
        encoder.start();
        console.setEncoder(encoder);
    }

    /** Writes what the asynchronous appender still holds, before the process exits. */
    static void flush() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            context.stop();
        }
    }
}
