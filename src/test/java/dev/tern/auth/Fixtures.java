package dev.tern.auth;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Shared test pieces: a cheap hasher, a clock and a sleeper moved by hand, a mail log recorder. */
final class Fixtures {

    /** A cheap Argon2id cost keeps the tests fast; the cost does not change what is checked. */
    static final PasswordHasher CHEAP = new PasswordHasher(new PasswordHasher.Cost(256, 1, 1));
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Fixtures() {
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(SaslStep step) {
        return new String(((SaslStep.Challenge) step).data(), StandardCharsets.UTF_8);
    }

    /** A clock that moves only when told. */
    static final class Clock implements InstantSource {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }
    }

    /** Records the delays instead of waiting. */
    static final class Sleeper implements AuthThrottle.Sleeper {
        final List<Duration> slept = new ArrayList<>();

        @Override
        public void sleep(Duration duration) {
            slept.add(duration);
        }
    }

    /** The mail log's lines while open (at INFO, kept off the console). */
    static final class MailLogLines implements AutoCloseable {
        private final Logger logger = (Logger) LoggerFactory.getLogger("tern.mail");
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
        private final Level level = logger.getLevel();
        private final boolean additive = logger.isAdditive();

        MailLogLines() {
            appender.start();
            logger.addAppender(appender);
            logger.setLevel(Level.INFO);
            logger.setAdditive(false);
        }

        List<String> lines() {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
            logger.setLevel(level);
            logger.setAdditive(additive);
        }
    }

    static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
