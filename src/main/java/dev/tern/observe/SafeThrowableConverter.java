package dev.tern.observe;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.CoreConstants;

/**
 * {@code %safeEx} in logback.xml: a stack trace as logback writes it, with each exception's message escaped
 * ({@link LogText#escape}) and every line indented by a tab. An exception's message often quotes a peer (a bad
 * header, a remote reply); escaped, it cannot break the line, and indented, no line of a trace starts where a
 * log line starts, so a reader anchored at the start of a line (the fail2ban filter of docs/auth.md) never takes
 * a trace for an event.
 */
public final class SafeThrowableConverter extends ThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy tp) {
        String trace = super.throwableProxyToString(new Escaped(tp));
        StringBuilder out = new StringBuilder(trace.length() + 64);
        trace.lines().forEach(line -> out.append('\t').append(line).append(CoreConstants.LINE_SEPARATOR));
        return out.toString();
    }

    /** The same throwable, its message and those of its causes and suppressed ones escaped. */
    private record Escaped(IThrowableProxy tp) implements IThrowableProxy {

        @Override
        public String getMessage() {
            return LogText.escape(tp.getMessage());
        }

        @Override
        public String getClassName() {
            return tp.getClassName();
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return tp.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return tp.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            return tp.getCause() == null ? null : new Escaped(tp.getCause());
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] suppressed = tp.getSuppressed();
            if (suppressed == null) {
                return null;
            }
            IThrowableProxy[] out = new IThrowableProxy[suppressed.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = new Escaped(suppressed[i]);
            }
            return out;
        }

        @Override
        public boolean isCyclic() {
            return tp.isCyclic();
        }
    }
}
