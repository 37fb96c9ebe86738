package dev.tern.observe;

import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's mail log: one line per event, keyed by queue id, in {@code key=value} form like
 * Postfix's maillog, written to the {@code tern.mail} logger.
 *
 * <pre>
 * 3FZ8K0A1B00042: accepted client=203.0.113.9 helo=mx.example from=&lt;a@example&gt; rcpts=2 size=1234 ms=3
 * 3FZ8K0A1B00042: delivered to=&lt;b@localhost&gt; where=localhost/b delay=0.01s
 * rejected client=203.0.113.9 stage=RCPT from=&lt;a@example&gt; to=&lt;x@localhost&gt; reply="550 5.1.1 ..."
 * </pre>
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

        private Line(String id, String event) {
            text.add(id == null ? event : id + ": " + event);
        }

        public Line with(String key, Object value) {
            if (value != null) {
                text.add(key + "=" + quoteIfNeeded(String.valueOf(value)));
            }
            return this;
        }

        public Line address(String key, Object address) {
            return address == null ? this : withRaw(key, "<" + address + ">");
        }

        private Line withRaw(String key, String value) {
            text.add(key + "=" + value);
            return this;
        }

        public void log() {
            LOG.info(text.toString());
        }

        public void warn() {
            LOG.warn(text.toString());
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    static String quoteIfNeeded(String value) {
        boolean plain = !value.isEmpty();
        for (int i = 0; i < value.length() && plain; i++) {
            char c = value.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c < 127;
        }
        if (plain) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < ' ' || c == 127) {
                out.append(String.format("\\x%02x", (int) c)); // never let a client forge log lines
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private MailLog() {
    }
}
