package dev.tern.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per operation of the benchmark's worker threads ({@code ·cpu.worker}) and of the whole JVM with its
 * compiler and collector threads ({@code ·cpu.process}), in microseconds. On a machine shared with other work
 * the wall time of {@code -bm avgt} grows with the load; CPU time grows much less, and it is what
 * {@code openssl speed} reports (user time) unless given {@code -elapsed}. Use with
 * {@code -prof dev.tern.bench.CpuTimeProfiler}.
 */
public final class CpuTimeProfiler implements InternalProfiler {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long workerStart;
    private long processStart;

    @Override
    public String getDescription() {
        return "CPU time per operation: benchmark threads and the whole JVM";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
        workerStart = workerCpuNanos();
        processStart = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmark, IterationParams iteration,
            IterationResult result) {
        long ops = Math.max(1, result.getMetadata().getAllOps());
        double worker = (workerCpuNanos() - workerStart) / 1000.0 / ops;
        double process = (os.getProcessCpuTime() - processStart) / 1000.0 / ops;
        return List.of(new ScalarResult("·cpu.worker", worker, "us/op", AggregationPolicy.AVG),
                new ScalarResult("·cpu.process", process, "us/op", AggregationPolicy.AVG));
    }

    /** The CPU time of JMH's worker threads (named {@code ...-jmh-worker-N}), summed. */
    private long workerCpuNanos() {
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains("jmh-worker")) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                sum += Math.max(0, cpu);
            }
        }
        return sum;
    }
}
