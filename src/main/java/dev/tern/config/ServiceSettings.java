package dev.tern.config;

import java.time.Duration;

/**
 * How the server runs as a service, read from {@code [shutdown]} and {@code [log]} by {@link ServiceReader}.
 *
 * @param shutdownGrace  on SIGTERM, how long a session in the middle of DATA may take to finish its message
 *                       before it is cut (nothing it sent is acknowledged then, so nothing is lost)
 * @param deliveryGrace  on SIGTERM, how long the delivery attempts under way may take to end, after the
 *                       sessions; an attempt cut short is tried again after the restart
 * @param logFormat      the log lines on standard output: text, or one JSON object per line for log shippers
 */
public record ServiceSettings(Duration shutdownGrace, Duration deliveryGrace, LogFormat logFormat) {

    /** Postfix waits as long for its smtpd processes; systemd's default stop timeout is 90s. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_DELIVERY_GRACE = Duration.ofSeconds(30);

    public static ServiceSettings defaults() {
        return new ServiceSettings(DEFAULT_SHUTDOWN_GRACE, DEFAULT_DELIVERY_GRACE, LogFormat.TEXT);
    }

    /** How a log line is written. */
    public enum LogFormat {
        /** {@code time level logger: message}, the mail log's {@code key=value} fields in the message. */
        TEXT,
        /** One JSON object per line, the mail log's fields as JSON fields. */
        JSON
    }
}
