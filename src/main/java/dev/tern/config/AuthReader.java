package dev.tern.config;

import java.time.Duration;
import java.util.Optional;

/** Reads the {@code [auth]} table into {@link AuthSettings}. */
final class AuthReader {

    private AuthReader() {
    }

    static AuthSettings read(Section top, AuthSettings d) throws ConfigException {
        Optional<Section> table = top.table("auth");
        if (table.isEmpty()) {
            return d;
        }
        Section s = table.get();
        AuthSettings auth = new AuthSettings(
                s.integer("max_failures", d.maxFailures(), 1, 100_000),
                s.duration("failure_window", d.failureWindow(), LimitsReader.SECOND, LimitsReader.DAY),
                s.duration("lockout", d.lockout(), LimitsReader.SECOND, Duration.ofDays(7)),
                s.duration("delay_base", d.delayBase(), Duration.ZERO, Duration.ofMinutes(1)),
                s.duration("delay_max", d.delayMax(), Duration.ZERO, Duration.ofMinutes(5)),
                s.bool("allow_plaintext_on_loopback", d.allowPlaintextOnLoopback()));
        if (auth.delayMax().compareTo(auth.delayBase()) < 0) {
            throw s.error("delay_max", "must not be shorter than " + s.path("delay_base") + " ("
                    + ConfigValues.formatDuration(auth.delayBase()) + "), got \""
                    + ConfigValues.formatDuration(auth.delayMax()) + "\"");
        }
        s.refuseUnknown();
        return auth;
    }
}
