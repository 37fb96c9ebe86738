package dev.tern.admin.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Prints what {@code tern bench} measured: a few lines for people, then one {@code result} line of
 * key=value pairs for scripts (bench/run-*.sh read it).
 */
public final class BenchReport {

    private final PrintWriter out;

    public BenchReport(PrintWriter out) {
        this.out = out;
    }

    public void load(BenchResult r) {
        out.printf(Locale.ROOT, "messages sent: %d accepted, %d failed, over %d connections%n",
                r.accepted(), r.failed(), r.connections());
        for (String failure : r.firstFailures()) {
            out.printf(Locale.ROOT, "  failure: %s%n", failure);
        }
        out.printf(Locale.ROOT, "elapsed: %.3f s%n", r.elapsedSeconds());
        out.printf(Locale.ROOT, "accepted rate: %.1f messages/s%n", r.acceptedPerSecond());
        out.printf(Locale.ROOT, "latency MAIL to final 250: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                r.latencies().percentileMillis(50), r.latencies().percentileMillis(99), r.latencies().maxMillis());
    }

    public void delivery(BenchResult r, MaildirCounter.Delivered d, long expected, int recipients) {
        double seconds = d.lastModified() == null ? 0
                : Math.max(0, Duration.between(r.started(), d.lastModified()).toNanos() / 1e9);
        double rate = seconds == 0 ? 0 : d.files() / (double) recipients / seconds;
        out.printf(Locale.ROOT, "delivered: %d of %d expected Maildir files, the last %.3f s after the start%n",
                d.files(), expected, seconds);
        out.printf(Locale.ROOT, "accepted-and-delivered rate: %.1f messages/s%n", rate);
        summary(r, d, rate);
    }

    public void summary(BenchResult r, MaildirCounter.Delivered d, double deliveredRate) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "result sent=%d failed=%d elapsed_s=%.3f msgs_per_s=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f",
                r.accepted(), r.failed(), r.elapsedSeconds(), r.acceptedPerSecond(),
                r.latencies().percentileMillis(50), r.latencies().percentileMillis(99), r.latencies().maxMillis()));
        if (d != null) {
            line.append(String.format(Locale.ROOT, " delivered_files=%d delivered_msgs_per_s=%.1f",
                    d.files(), deliveredRate));
        }
        out.println(line);
    }
}
