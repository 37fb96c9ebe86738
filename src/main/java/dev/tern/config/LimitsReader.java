package dev.tern.config;

import java.time.Duration;
import java.util.Optional;

/** Reads {@code [limits]} and {@code [queue]}: every component of {@link SmtpLimits} and {@link QueueSettings}. */
final class LimitsReader {

    static final Duration SECOND = Duration.ofSeconds(1);
    static final Duration DAY = Duration.ofDays(1);

    private LimitsReader() {
    }

    static SmtpLimits limits(Section top, SmtpLimits d) throws ConfigException {
        Optional<Section> table = top.table("limits");
        if (table.isEmpty()) {
            return d;
        }
        Section s = table.get();
        // RFC 5321 §4.5.3.1.7: at least 64K octets; the cap keeps sizes within an int.
        long messageSize = s.size("max_message_size", d.maxMessageSize(), 64L * 1024, Integer.MAX_VALUE);
        SmtpLimits limits = new SmtpLimits(
                // RFC 5321 §4.5.3.1.4: a server must accept command lines of 512 octets.
                (int) s.size("max_command_line", d.maxCommandLine(), 512, 65_536),
                // RFC 5321 §4.5.3.1.6: text lines of 1000 octets including CRLF.
                (int) s.size("max_text_line", d.maxTextLine(), 1000, 1L << 20),
                messageSize,
                s.integer("max_recipients", d.maxRecipients(), 1, 100_000),
                s.integer("max_errors", d.maxErrors(), 1, 1000),
                s.duration("command_timeout", d.commandTimeout(), SECOND, DAY),
                s.duration("data_timeout", d.dataTimeout(), SECOND, DAY),
                s.duration("session_timeout", d.sessionTimeout(), SECOND, Duration.ofDays(7)),
                s.integer("max_connections", d.maxConnections(), 1, 1_000_000),
                s.integer("max_connections_per_client", d.maxConnectionsPerClient(), 1, 1_000_000),
                s.choice("bare_line_endings", d.bareLineEndings(), SmtpLimits.BareLineEndings.class),
                s.duration("write_timeout", d.writeTimeout(), SECOND, DAY),
                s.integer("recipient_overshoot", d.recipientOvershoot(), 0, 1_000_000),
                s.integer("min_command_rate", d.minCommandRate(), 0, 1_000_000),
                s.duration("command_rate_grace", d.commandRateGrace(), SECOND, DAY),
                s.integer("stress_threshold", d.stressThreshold(), 1, 100),
                s.duration("stress_command_timeout", d.stressCommandTimeout(), SECOND, DAY),
                s.duration("stress_data_timeout", d.stressDataTimeout(), SECOND, DAY),
                // Postfix's header_size_limit is 100 KiB; below 64 KiB honest mail with long trace histories or
                // many DKIM signatures could be refused. Never more than a message may hold, so a small
                // max_message_size lowers the default with it.
                (int) s.size("max_header_size", Math.min(d.maxHeaderSize(), messageSize), 64L * 1024,
                        Integer.MAX_VALUE),
                // RFC 5321 §6.3: a loop threshold "SHOULD" be large, "normally at least 100"; 10 is the floor
                // below which ordinary relaying through a few hops and list servers would be refused.
                s.integer("max_received_headers", d.maxReceivedHeaders(), 10, 10_000));
        if (limits.maxHeaderSize() > limits.maxMessageSize()) {
            throw s.error("max_header_size", "must not exceed " + s.path("max_message_size") + " ("
                    + limits.maxMessageSize() + "), got " + limits.maxHeaderSize());
        }
        if (limits.maxConnectionsPerClient() > limits.maxConnections()) {
            throw s.error("max_connections_per_client", "must not exceed " + s.path("max_connections")
                    + " (" + limits.maxConnections() + "), got " + limits.maxConnectionsPerClient());
        }
        s.refuseUnknown();
        return limits;
    }

    static QueueSettings queue(Section top, QueueSettings d) throws ConfigException {
        Optional<Section> table = top.table("queue");
        if (table.isEmpty()) {
            return d;
        }
        Section s = table.get();
        if (s.present("delivery_threads")) {
            // One pool shared by local and remote deliveries let a few stalled servers stop all delivery.
            throw s.error("delivery_threads", "is no longer used: local deliveries are bounded by "
                    + "delivery.local_delivery_threads, deliveries to other servers by delivery.max_connections "
                    + "and delivery.max_per_destination");
        }
        QueueSettings queue = new QueueSettings(
                s.duration("retry_initial", d.retryInitial(), SECOND, DAY),
                s.duration("retry_max", d.retryMax(), SECOND, Duration.ofDays(7)),
                s.duration("lifetime", d.lifetime(), Duration.ofMinutes(1), Duration.ofDays(100)),
                s.bool("journal", d.journal()));
        if (queue.retryMax().compareTo(queue.retryInitial()) < 0) {
            throw s.error("retry_max", "must not be shorter than " + s.path("retry_initial") + " ("
                    + ConfigValues.formatDuration(queue.retryInitial()) + "), got \""
                    + ConfigValues.formatDuration(queue.retryMax()) + "\"");
        }
        if (queue.lifetime().compareTo(queue.retryInitial()) < 0) {
            throw s.error("lifetime", "must not be shorter than " + s.path("retry_initial") + " ("
                    + ConfigValues.formatDuration(queue.retryInitial()) + "), got \""
                    + ConfigValues.formatDuration(queue.lifetime()) + "\"");
        }
        s.refuseUnknown();
        return queue;
    }
}
