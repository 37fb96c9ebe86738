package dev.tern.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import java.util.Arrays;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Log events written out exactly as a running server writes them: through the layout that
 * src/main/resources/logback.xml configures (not the tests' own), split into the physical lines an operator's
 * tools read (any line break counts, U+2028 and U+0085 too). While open it records the mail log's events (kept off the console).
 */
public final class ProductionLog implements AutoCloseable {

    private final Logger mail = (Logger) LoggerFactory.getLogger("tern.mail");
    private final Level mailLevel = mail.getLevel();
    private final boolean additive = mail.isAdditive();
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final LoggerContext production = new LoggerContext();
    private final Layout<ILoggingEvent> layout;

    public ProductionLog() {
        layout = productionLayout(production);
        events.start();
        mail.addAppender(events);
        mail.setLevel(Level.INFO);
        mail.setAdditive(false);
    }

    /** The physical lines of the mail log so far, formatted as in production. */
    public List<String> lines() {
        return lines(events.list);
    }

    /** The physical lines these events make, formatted as in production. */
    public List<String> lines(List<ILoggingEvent> list) {
        return list.stream().flatMap(e -> Arrays.stream(layout.doLayout(e).split("\\R"))).toList();
    }

    @SuppressWarnings("unchecked")
    private static Layout<ILoggingEvent> productionLayout(LoggerContext context) {
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure("src/main/resources/logback.xml");
        } catch (JoranException e) {
            throw new AssertionError(e);
        }
        var async = (BatchingAppender) context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("ASYNC");
        var stdout = (OutputStreamAppender<ILoggingEvent>) async.getAppender("STDOUT");
        return ((LayoutWrappingEncoder<ILoggingEvent>) stdout.getEncoder()).getLayout();
    }

    @Override
    public void close() {
        mail.detachAppender(events);
        mail.setLevel(mailLevel);
        mail.setAdditive(additive);
        production.stop();
    }
}
