package dev.tern.config;

import java.time.Duration;

/**
 * Delivery status notifications (bounces, RFC 3464).
 *
 * @param delayWarning    how long a message may wait before its sender is told it is delayed (one warning per
 *                        message, RFC 3464 action "delayed"); {@link Duration#ZERO} means never, as Postfix's
 *                        {@code delay_warning_time = 0h}
 * @param maxReturnedSize the largest original message returned whole in a failure notice; a larger one is
 *                        returned as its headers only (RFC 3461 §4.3 leaves the default to the implementation)
 * @param successNotices  whose {@code NOTIFY=SUCCESS} requests are honoured
 */
public record BounceSettings(Duration delayWarning, long maxReturnedSize, SuccessNotices successNotices) {

    public BounceSettings {
        if (delayWarning.isNegative() || maxReturnedSize < 0) {
            throw new IllegalArgumentException("negative bounce setting");
        }
        java.util.Objects.requireNonNull(successNotices, "successNotices");
    }

    /** The default success notices: for our own users only. */
    public BounceSettings(Duration delayWarning, long maxReturnedSize) {
        this(delayWarning, maxReturnedSize, SuccessNotices.AUTHENTICATED);
    }

    public static BounceSettings defaults() {
        return new BounceSettings(Duration.ZERO, 1024 * 1024, SuccessNotices.AUTHENTICATED);
    }

    /**
     * Whose success notices (RFC 3461 {@code NOTIFY=SUCCESS}) are sent. A client of the MX is anyone: its reverse-path
     * is unproven, so a success notice for it goes to whoever it names, and a forged sender makes this server a
     * source of backscatter that costs the attacker one RCPT per notice.
     */
    public enum SuccessNotices {
        /** Only when the sender authenticated or came from a trusted network (the default). */
        AUTHENTICATED,
        /** Whoever asked, as RFC 3461 §4.1 has it. */
        ALL,
        /** Never. */
        NONE
    }
}
