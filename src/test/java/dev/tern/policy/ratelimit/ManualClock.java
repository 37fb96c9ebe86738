package dev.tern.policy.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock that moves only when the test says so: time is tested without sleeping. */
final class ManualClock implements InstantSource {

    private Instant now = Instant.parse("2026-12-01T10:00:00Z");

    @Override
    public Instant instant() {
        return now;
    }

    void advance(Duration by) {
        now = now.plus(by);
    }
}
