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
                s.bool("allow_plaintext_on_loopback", d.allowPlaintextOnLoopback()),
                s.duration("account_delay_max", d.accountDelayMax(), Duration.ZERO, LimitsReader.DAY),
                s.integer("max_parallel_checks", d.maxParallelChecks(), 1, 1024),
                s.duration("check_wait", d.checkWait(), Duration.ZERO, Duration.ofMinutes(1)),
                s.integer("scram_iterations", d.scramIterations(), 4096, 10_000_000));
        if (auth.delayMax().compareTo(auth.delayBase()) < 0) {
            throw s.error("delay_max", "must not be shorter than " + s.path("delay_base") + " ("
                    + ConfigValues.formatDuration(auth.delayBase()) + "), got \""
                    + ConfigValues.formatDuration(auth.delayMax()) + "\"");
        }
        if (auth.accountDelayMax().compareTo(auth.delayBase()) < 0) {
            throw s.error("account_delay_max", "must not be shorter than " + s.path("delay_base") + " ("
                    + ConfigValues.formatDuration(auth.delayBase()) + "), got \""
                    + ConfigValues.formatDuration(auth.accountDelayMax()) + "\"");
        }
        s.refuseUnknown();
        return auth;
    }
}
