package io.sightline.benchmarks.starter.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.TreeMap;

import io.sightline.telemetry.errors.SentryRequestScope;
import io.sightline.telemetry.metrics.ServerRequestMeters;
import io.sightline.telemetry.metrics.ServerRequestTags;
import io.sightline.telemetry.tracing.TraceContextExtract;

/**
 * The JMH benchmarks' operations timed by the CPU time of the thread that runs them instead of the wall
 * clock: on a machine shared with other work (the project's 2-core machines usually are) wall-clock
 * throughput mostly measures how much of a core the benchmark got, CPU time per operation what it costs.
 * <p>
 * {@code java -cp … io.sightline.benchmarks.starter.jmh.CpuPerOperation
 * [writer|hostile|tags|meters|extract|sentry-scope] [seconds] [shape]} prints one line per case: CPU ns per operation
 * and operations per CPU-second (records per second on one core for the writer; for hostile lines also CPU ns per KB).
 * The request-path cases compare the library's way with the starter's, alternated: tags, a request's two tag sets;
 * meters, a request's observation start and stop; extract, a request's trace-context extract, per header set;
 * sentry-scope, a request through Sentry's scope filter. Each case is warmed up for the same time first.
 */
public final class CpuPerOperation {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuPerOperation() {}

    public static void main(String[] args) throws Exception {
        String what = (args.length > 0) ? args[0] : "writer";
        long seconds = (args.length > 1) ? Long.parseLong(args[1]) : 10;
        if (what.equals("writer")) {
            for (String record : new String[] {"typical", "error"}) {
                LogWriterThroughput writer = new LogWriterThroughput();
                writer.record = record;
                writer.prepare();
                double ns = cpuNanosPerOp(writer::maskEncodeWrite, seconds);
                writer.close();
                System.out.printf(
                        Locale.ROOT,
                        "writer record=%s cpu_ns_per_record=%.0f records_per_cpu_second=%.0f%n",
                        record,
                        ns,
                        1e9 / ns);
            }
        } else if (what.equals("tags")) {
            alternated("tags", "convention", new String[] {"spring", "starter"}, seconds, convention -> {
                ServerRequestTags tags = new ServerRequestTags();
                tags.convention = convention;
                tags.prepare();
                return Prepared.of(tags::oneRequest);
            });
        } else if (what.equals("meters")) {
            alternated("meters", "handler", new String[] {"micrometer", "starter"}, seconds, handler -> {
                ServerRequestMeters meters = new ServerRequestMeters();
                meters.handler = handler;
                meters.prepare();
                return Prepared.of(meters::oneRequest);
            });
        } else if (what.equals("extract")) {
            for (String headers : new String[] {"none", "traceparent", "traceparent-baggage"}) {
                alternated(
                        "extract headers=" + headers, "propagator", new String[] {"boot", "starter"}, seconds, name -> {
                            TraceContextExtract extract = new TraceContextExtract();
                            extract.propagator = name;
                            extract.headers = headers;
                            extract.prepare();
                            return new Prepared(extract::extract, extract::close);
                        });
            }
        } else if (what.equals("sentry-scope")) {
            alternated("sentry-scope", "filter", new String[] {"sentry", "starter"}, seconds, filter -> {
                SentryRequestScope scope = new SentryRequestScope();
                scope.filter = filter;
                scope.prepare();
                return new Prepared(scope::oneRequest, scope::close);
            });
        } else {
            TreeMap<String, String> lines = new TreeMap<>();
            for (String shape : io.sightline.telemetry.masking.HostileLines.SHAPES.keySet()) {
                if (args.length > 2 && !args[2].equals(shape)) {
                    continue;
                }
                for (int length : new int[] {1024, 16384, 262144}) {
                    HostileMasking masking = new HostileMasking();
                    masking.shape = shape;
                    masking.length = length;
                    masking.buildLine();
                    double ns = cpuNanosPerOp(masking::mask, seconds);
                    lines.put(
                            shape + String.format(Locale.ROOT, "%07d", length),
                            String.format(
                                    Locale.ROOT,
                                    "hostile shape=%s bytes=%d cpu_us_per_line=%.1f cpu_ns_per_kb=%.0f",
                                    shape,
                                    length,
                                    ns / 1000,
                                    ns / (length / 1024.0)));
                }
            }
            lines.values().forEach(System.out::println);
        }
    }

    /** Each variant twice, alternated, so all see the same machine load: one line per round and variant. */
    private static void alternated(String what, String label, String[] variants, long seconds, Variant variant)
            throws Exception {
        for (int round = 0; round < 2; round++) {
            for (String name : variants) {
                double ns;
                Prepared prepared = variant.prepare(name);
                try (AutoCloseable release = prepared.release()) {
                    ns = cpuNanosPerOp(prepared.operation(), seconds);
                }
                System.out.printf(
                        Locale.ROOT, "%s round=%d %s=%s cpu_ns_per_request=%.1f%n", what, round + 1, label, name, ns);
            }
        }
    }

    /** Runs {@code operation} for {@code seconds} of warm-up, then for {@code seconds} measured. */
    private static double cpuNanosPerOp(ThrowingRunnable operation, long seconds) throws Exception {
        run(operation, seconds);
        return run(operation, seconds);
    }

    private static double run(ThrowingRunnable operation, long seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long operations = 0;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 64; i++) {
                operation.run();
            }
            operations += 64;
        }
        return (double) (THREADS.getCurrentThreadCpuTime() - cpuStart) / operations;
    }

    @FunctionalInterface
    private interface Variant {
        Prepared prepare(String name) throws Exception;
    }

    /** A variant ready to be timed, and what to release after it (a Spring context, Sentry). */
    private record Prepared(ThrowingRunnable operation, AutoCloseable release) {

        static Prepared of(ThrowingRunnable operation) {
            return new Prepared(operation, () -> {});
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
