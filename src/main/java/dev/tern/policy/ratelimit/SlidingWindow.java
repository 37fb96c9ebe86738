package dev.tern.policy.ratelimit;

/**
 * A count of events over the last {@code window}, estimated from two fixed windows: the current one and the
 * one before it, whose count is weighted by how much of it still lies within the last {@code window}.
 *
 * <p>Why this and not the alternatives: a fixed window (Postfix's anvil resets its counts every
 * {@code anvil_rate_time_unit}) lets a client send twice the limit across a boundary, a burst at the end of
 * one window and another at the start of the next. An exact sliding log would keep one timestamp per event,
 * 5,000 of them for a day's recipients, per user. A token bucket is as cheap as this, but "500 an hour" then
 * means a bucket of 500 refilled one every 7.2 seconds, which no operator reads from the setting. This estimate
 * costs three numbers, never lets more than the limit through in any window-long span when events were spread
 * evenly over the previous window, and lifts a refusal gradually as the old events age out. Its error is
 * bounded by the previous window's count: events bunched at the start of that window are forgotten a little
 * early, events bunched at its end a little late.
 *
 * <p>Not thread-safe: {@link RateTable} uses it under its lock. Times are milliseconds from any origin.
 */
final class SlidingWindow {

    private final long windowMillis;
    private long windowStart;
    private long current;
    private long previous;
    /** The start of the fixed window in which a refusal was last reported, so it is logged once per window. */
    private long reportedWindow = Long.MIN_VALUE;

    SlidingWindow(long windowMillis, long now) {
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("window must be positive");
        }
        this.windowMillis = windowMillis;
        this.windowStart = now;
    }

    /** The estimated number of events in the {@code window} before {@code now}. */
    double estimate(long now) {
        roll(now);
        double weight = 1.0 - (double) (now - windowStart) / windowMillis;
        return previous * weight + current;
    }

    /** Whether one more event keeps the estimate within {@code limit}; 0 means no limit. */
    boolean admits(long now, int limit) {
        return limit == 0 || estimate(now) + 1 <= limit;
    }

    /** Counts one event (the caller asked {@link #admits} first). */
    void add(long now) {
        roll(now);
        current++;
    }

    /** Whether this is the first refusal reported in the current fixed window (then it is marked reported). */
    boolean firstRefusal(long now) {
        roll(now);
        if (reportedWindow == windowStart) {
            return false;
        }
        reportedWindow = windowStart;
        return true;
    }

    /** Moves the fixed windows forward to the one holding {@code now}; a clock going back changes nothing. */
    private void roll(long now) {
        if (now < windowStart + windowMillis) {
            return;
        }
        long windows = (now - windowStart) / windowMillis;
        previous = windows == 1 ? current : 0;
        current = 0;
        windowStart += windows * windowMillis;
    }
}
