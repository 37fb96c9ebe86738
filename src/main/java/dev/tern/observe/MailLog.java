package dev.tern.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The operator's mail log: one line per event, keyed by queue id, in {@code key=value} form like
 * Postfix's maillog, written to the {@code tern.mail} logger.
 *
 * <pre>
 * 3FZ8K0A1B00042: accepted client=203.0.113.9 helo=mx.example from=&lt;a@example&gt; rcpts=2 size=1234 ms=3
 * 3FZ8K0A1B00042: delivered to=&lt;b@localhost&gt; where=localhost/b delay=0.01s
 * rejected client=203.0.113.9 stage=RCPT from=&lt;a@example&gt; to=&lt;x@localhost&gt; reply="550 5.1.1 ..."
 * rejected client=203.0.113.9 stage=MAIL from="&lt;\"x y=z\"@example&gt;" reply="550 5.7.1 ..."
 * </pre>
 *
 * The queue id, the event and the keys are Tern's own words, written first; every value, and above all what a
 * peer chose, goes through {@link LogText}, so a line always splits into the fields Tern wrote. The same
 * fields, unquoted, go with the event as SLF4J key-value pairs ({@code id}, {@code event}, then each key), which
 * the JSON log ({@link JsonLineEncoder}) writes as fields of their own; the text line does not show them twice.
 */
public final class MailLog {

    private static final Logger LOG = LoggerFactory.getLogger("tern.mail");

    /** Starts a line for a message ({@code id} may be null before a queue id exists). */
    public static Line event(String id, String event) {
        return new Line(id, event);
    }

    /** One log line under construction; {@link #log()} writes it. */
    public static final class Line {
        private final StringJoiner text = new StringJoiner(" ");
        private final List<String> pairs = new ArrayList<>();

        private Line(String id, String event) {
            text.add(id == null ? event : id + ": " + event);
            if (id != null) {
                pair("id", id);
            }
            pair("event", event);
        }

        private void pair(String key, String value) {
            pairs.add(key);
            pairs.add(value);
        }

        /** Adds {@code key=value}, the value quoted and escaped unless plain ({@link LogText#value}). */
        public Line with(String key, Object value) {
            if (value != null) {
                text.add(key + "=" + LogText.value(String.valueOf(value)));
                pair(key, String.valueOf(value));
            }
            return this;
        }

        /**
         * Adds {@code key=<address>}; an address a peer made hostile (spaces, quotes, {@code =}, controls,
         * non-ASCII) is quoted whole, so it can never read as a second field ({@link LogText#address}).
         */
        public Line address(String key, Object address) {
            if (address != null) {
                text.add(key + "=" + LogText.address(String.valueOf(address)));
                pair(key, String.valueOf(address));
            }
            return this;
        }

        public void log() {
            write(Level.INFO);
        }

        public void warn() {
            write(Level.WARN);
        }

        private void write(Level level) {
            if (!LOG.isEnabledForLevel(level)) {
                return;
            }
            LoggingEventBuilder builder = LOG.atLevel(level);
            for (int i = 0; i < pairs.size(); i += 2) {
                builder = builder.addKeyValue(pairs.get(i), pairs.get(i + 1));
            }
            builder.log(text.toString());
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    private MailLog() {
    }
}
