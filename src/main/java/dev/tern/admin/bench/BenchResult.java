package dev.tern.admin.bench;

import java.time.Instant;
import java.util.List;

/**
 * What a run measured.
 *
 * @param attempted     messages the run tried to send
 * @param accepted      messages that got the 250 after the end of data, every recipient accepted
 * @param failed        messages refused somewhere, or lost with their connection
 * @param connections   connections opened
 * @param started       wall-clock time the run began (file times of delivered mail are compared to it)
 * @param elapsedNanos  time from the first connection to the last reply
 * @param latencies     MAIL-to-final-250 latency of each accepted message
 * @param firstFailures the first few refusals or errors, for the report
 */
public record BenchResult(long attempted, long accepted, long failed, long connections, Instant started,
                          long elapsedNanos, Latencies latencies, List<String> firstFailures) {

    public BenchResult {
        firstFailures = List.copyOf(firstFailures);
    }

    public double elapsedSeconds() {
        return elapsedNanos / 1e9;
    }

    /** Accepted messages per second of the run. */
    public double acceptedPerSecond() {
        return elapsedNanos == 0 ? 0 : accepted / elapsedSeconds();
    }
}
