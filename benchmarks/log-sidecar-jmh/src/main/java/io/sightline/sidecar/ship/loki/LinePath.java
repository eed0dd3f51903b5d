package io.sightline.sidecar.ship.loki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sightline.benchmarks.sidecar.CriLogFile;
import io.sightline.benchmarks.sidecar.SidecarThroughput;
import io.sightline.sidecar.node.frame.ContainerLogFramer;
import io.sightline.sidecar.node.frame.FrameHandler;
import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.parse.RecordParser;
import io.sightline.sidecar.source.SourcePosition;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The shipper's work per line at steady state, one Loki batch at a time: the end-to-end harness's own 250-byte JSON
 * lines ({@link SidecarThroughput#line}; as CRI lines with 1 % split into {@code P} fragments for the node agent,
 * {@link CriLogFile#append}) made into records as the reader thread does, then grouped into streams and encoded as
 * one protobuf push compressed with snappy as the sender thread does. {@code sidecar} and {@code node} are the whole
 * path; {@code parse} (the sidecar's records only) and {@code encode} (the push of records parsed beforehand) split
 * it. Not measured: reading the file and splitting it into lines, the hand-off between the threads, HTTP.
 * <p>Forks run with the image's JIT and heap flags (C1 only: it inlines small methods only and does not unroll, so
 * a call per byte or token costs what it would not under C2). Scores are per line ({@code @OperationsPerInvocation}).
 * In this package because the Loki encoder and its stream grouping are not public API.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 3,
        jvmArgsAppend = {"-XX:TieredStopAtLevel=1", "-Xmx64m", "-XX:+UseSerialGC"})
@OperationsPerInvocation(LinePath.LINES)
public class LinePath {

    /** About the default 1 MiB batch of these lines ({@code SIGHTLINE_BATCH_MAX_BYTES}). */
    static final int LINES = 4000;

    private static final Identity SIDECAR = new Identity("shop", "orders-7f9c8d-x2kqp", "node-1", "app", null);
    private static final Identity CONTAINER = new Identity("bench", "bench-pod", "node-1", "app", null);

    private final RecordParser parser = new RecordParser(() -> {});
    private final ContainerLogFramer framer = new ContainerLogFramer(256 << 10);
    private final LokiStreams streams = new LokiStreams(SIDECAR, "app");
    private final ProtobufPushEncoder encoder = new ProtobufPushEncoder(streams);
    private final List<LogRecord> batch = new ArrayList<>(LINES);
    private final FrameHandler toRecord = message -> batch.add(parser.parseLine(
            message.bytes(),
            message.offset(),
            message.length(),
            message.runtimeTimeNanos(),
            new SourcePosition("bench", message.startOffset(), message.endOffset()),
            CONTAINER,
            message.stream().label(),
            "app"));

    private Lines json;
    private Lines cri;
    private List<LogRecord> parsed;

    /** Lines as a read buffer holds them: one array, each line's start and end (without its newline). */
    private record Lines(byte[] bytes, int[] starts, int[] ends) {

        static Lines of(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            int count = 0;
            for (byte b : bytes) {
                count += b == '\n' ? 1 : 0;
            }
            int[] starts = new int[count];
            int[] ends = new int[count];
            for (int i = 0, start = 0; i < count; i++) {
                int end = start;
                while (bytes[end] != '\n') {
                    end++;
                }
                starts[i] = start;
                ends[i] = end;
                start = end + 1;
            }
            return new Lines(bytes, starts, ends);
        }
    }

    @Setup
    public void prepare() throws IOException {
        StringBuilder jsonText = new StringBuilder();
        StringBuilder criText = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            String line = SidecarThroughput.line(i);
            jsonText.append(line).append('\n');
            CriLogFile.append(criText, i, line);
        }
        json = Lines.of(jsonText.toString());
        cri = Lines.of(criText.toString());
        parseJson();
        parsed = List.copyOf(batch);
    }

    @Benchmark
    public byte[] sidecar() throws IOException {
        parseJson();
        return encoder.encode(streams.group(batch));
    }

    @Benchmark
    public byte[] node() throws IOException {
        batch.clear();
        for (int i = 0; i < cri.starts.length; i++) {
            int start = cri.starts[i];
            framer.line(cri.bytes, start, cri.ends[i] - start, start, cri.ends[i] + 1L, false, toRecord);
        }
        if (batch.size() != LINES || framer.hasPending()) {
            throw new IllegalStateException("the CRI lines did not make " + LINES + " records: " + batch.size());
        }
        return encoder.encode(streams.group(batch));
    }

    @Benchmark
    public void parse(Blackhole records) {
        parseJson();
        records.consume(batch);
    }

    @Benchmark
    public byte[] encode() throws IOException {
        return encoder.encode(streams.group(parsed));
    }

    private void parseJson() {
        batch.clear();
        long readTime = System.nanoTime();
        for (int i = 0; i < json.starts.length; i++) {
            int start = json.starts[i];
            int end = json.ends[i];
            batch.add(parser.parseLine(
                    json.bytes, start, end - start, readTime, new SourcePosition("bench", start, end + 1L)));
        }
    }
}
