package io.sightline.benchmarks.sidecar.jmh;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

import com.sun.management.OperatingSystemMXBean;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * The forked JVM's CPU time (all its threads: the benchmark's, the collector's, the compiler's) per operation of
 * each iteration, as {@code ·cpu.norm}. On a machine other work loads, wall-clock scores also count the time the
 * benchmark thread waited for a core; CPU time does not. Use: {@code -prof
 * io.sightline.benchmarks.sidecar.jmh.ProcessCpuProfiler}.
 */
public final class ProcessCpuProfiler implements InternalProfiler {

    private final OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
    private long startNanos;

    @Override
    public String getDescription() {
        return "process CPU time per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        startNanos = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(
            BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        long cpuNanos = os.getProcessCpuTime() - startNanos;
        long operations = result.getMetadata().getMeasuredOps();
        return List.of(new ScalarResult(
                "·cpu.norm",
                operations == 0 ? Double.NaN : (double) cpuNanos / operations,
                "ns/op",
                AggregationPolicy.AVG));
    }
}
