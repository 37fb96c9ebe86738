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
 */
public record BounceSettings(Duration delayWarning, long maxReturnedSize) {

    public BounceSettings {
        if (delayWarning.isNegative() || maxReturnedSize < 0) {
            throw new IllegalArgumentException("negative bounce setting");
        }
    }

    public static BounceSettings defaults() {
        return new BounceSettings(Duration.ZERO, 1024 * 1024);
    }
}
