package dev.tern.admin.bench;

import java.util.Arrays;

/** Per-message latencies in nanoseconds, collected by one worker and merged at the end of a run. */
public final class Latencies {

    private long[] values = new long[1024];
    private int size;

    public void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    public void addAll(Latencies other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    public int size() {
        return size;
    }

    /**
     * The nearest-rank percentile in milliseconds ({@code p} in 0..100], or 0 when nothing was recorded.
     * Sorts in place, so call it after the run.
     */
    public double percentileMillis(double p) {
        if (size == 0) {
            return 0;
        }
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        Arrays.sort(values, 0, size);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return values[Math.max(0, rank - 1)] / 1_000_000.0;
    }

    public double maxMillis() {
        return percentileMillis(100);
    }
}
