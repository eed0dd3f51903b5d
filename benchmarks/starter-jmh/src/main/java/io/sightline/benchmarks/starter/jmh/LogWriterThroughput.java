package io.sightline.benchmarks.starter.jmh;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import io.sightline.telemetry.logging.JsonLogEncoder;
import io.sightline.telemetry.masking.MaskedLoggingEvent;
import io.sightline.telemetry.masking.Masker;
import io.sightline.telemetry.support.ServiceIdentity;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.event.KeyValuePair;

/**
 * The log writer's work per record on one core: mask the event, encode the JSON record, write it to
 * a 64 KiB buffered stream on {@code /dev/null} (one system call per 64 KiB, as the writer's batches
 * do). Records are the demo service's request lines (message, four key/value pairs, trace and span id
 * in the MDC, about 390 bytes of JSON), with timestamps 40 µs apart as at 25k requests/s; {@code error}
 * records carry an exception with a cause as well. Only public starter API, so the same benchmark runs
 * against an older starter jar on the class path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LogWriterThroughput {

    private static final int RECORDS = 1024;

    @Param({"typical", "error"})
    public String record;

    private final ILoggingEvent[] events = new ILoggingEvent[RECORDS];

    private final Masker masker = Masker.defaults();

    private JsonLogEncoder encoder;

    private OutputStream out;

    private int next;

    @Setup
    public void prepare() throws IOException {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        this.encoder = new JsonLogEncoder(new ServiceIdentity("demo-service", "0.1.0"));
        this.encoder.setContext(context);
        this.encoder.start();
        Instant start = Instant.parse("2026-11-30T10:00:00Z");
        Random random = new Random(42);
        for (int i = 0; i < RECORDS; i++) {
            LoggingEvent event = new LoggingEvent(
                    "bench",
                    context.getLogger("io.sightline.demo.links.RequestLogFilter"),
                    this.record.equals("error")
                            ? ch.qos.logback.classic.Level.ERROR
                            : ch.qos.logback.classic.Level.INFO,
                    "{} {} -> {} in {} ms",
                    this.record.equals("error")
                            ? new IllegalStateException("link store failed", new IllegalArgumentException("id " + i))
                            : null,
                    new Object[] {"GET", "/api/users/bench/links", 200, i % 3});
            event.setInstant(start.plusNanos(40_000L * i));
            event.setThreadName("http-nio-127.0.0.1-8080-exec-" + (i % 32));
            // Random ids, as a tracer makes them.
            event.setMDCPropertyMap(Map.of(
                    "traceId",
                    String.format("%016x%016x", random.nextLong(), random.nextLong()),
                    "spanId",
                    String.format("%016x", random.nextLong())));
            event.addKeyValuePair(new KeyValuePair("http_method", "GET"));
            event.addKeyValuePair(new KeyValuePair("http_path", "/api/users/bench/links"));
            event.addKeyValuePair(new KeyValuePair("http_status", 200));
            event.addKeyValuePair(new KeyValuePair("duration_ms", (long) (i % 3)));
            event.prepareForDeferredProcessing();
            this.events[i] = event;
        }
        this.out = new BufferedOutputStream(new FileOutputStream("/dev/null"), 64 * 1024);
    }

    @Benchmark
    public void maskEncodeWrite() throws IOException {
        ILoggingEvent event = this.events[this.next++ & (RECORDS - 1)];
        this.out.write(this.encoder.encode(MaskedLoggingEvent.of(event, this.masker)));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        this.out.close();
    }
}
