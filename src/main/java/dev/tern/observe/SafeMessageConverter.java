package dev.tern.observe;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %safeMsg} in logback.xml: the message of any logger with its invisible and line-breaking characters
 * escaped ({@link LogText#escape}). The mail log escapes its values itself; this covers every other line that
 * prints a peer's words through {@code {}} (an exception message quoting a header, a HELO name, a remote
 * server's reply), so no message can start a forged line of its own.
 */
public final class SafeMessageConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return LogText.escape(event.getFormattedMessage());
    }
}
