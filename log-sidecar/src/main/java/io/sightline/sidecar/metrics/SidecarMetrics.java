package io.sightline.sidecar.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Exactly the {@code sightline_sidecar_*} metrics of the telemetry contract (section 4), in a
 * registry of their own so nothing else appears on {@code /metrics}. Counters are named without
 * {@code _total}: the client appends it on exposition.
 */
public final class SidecarMetrics {

    public static final String DROP_REJECTED = "rejected";
    public static final String DROP_RETRIES_EXHAUSTED = "retries_exhausted";
    public static final String DROP_LOST_BEFORE_READ = "lost_before_read";
    /** A single record the sink fails on (a bug): split out of its batch so nothing else is held up. */
    public static final String DROP_UNSENDABLE = "unsendable";

    public static final List<String> DROP_REASONS =
            List.of(DROP_REJECTED, DROP_RETRIES_EXHAUSTED, DROP_LOST_BEFORE_READ, DROP_UNSENDABLE);

    private final PrometheusRegistry registry = new PrometheusRegistry();

    public final Counter linesRead = Counter.builder()
            .name("sightline_sidecar_lines_read")
            .help("Lines read from the input files (before multi-line joining)")
            .labelNames("input")
            .register(registry);
    public final Counter bytesRead = Counter.builder()
            .name("sightline_sidecar_bytes_read")
            .help("Bytes read from the input files")
            .labelNames("input")
            .register(registry);
    public final Counter recordsSent = Counter.builder()
            .name("sightline_sidecar_records_sent")
            .help("Records the sink acknowledged")
            .labelNames("sink")
            .register(registry);
    public final Counter recordsDropped = Counter.builder()
            .name("sightline_sidecar_records_dropped")
            .help("Records that will never reach the sink, by reason")
            .labelNames("sink", "reason")
            .register(registry);
    public final Counter linesTruncated = Counter.builder()
            .name("sightline_sidecar_lines_truncated")
            .help("Lines longer than SIGHTLINE_MAX_LINE_BYTES, shipped truncated")
            .labelNames("input")
            .register(registry);
    public final Counter linesUnparsed = Counter.builder()
            .name("sightline_sidecar_lines_unparsed")
            .help("Lines that looked like a JSON record but could not be read as one, shipped as plain text")
            .labelNames("input")
            .register(registry);
    public final Counter mappingConflicts = Counter.builder()
            .name("sightline_sidecar_mapping_conflicts")
            .help("Records the sink refused for a field type conflict and stored as the original line with the"
                    + " contract's fields (OpenSearch)")
            .labelNames("sink")
            .register(registry);
    public final Counter sendRetries = Counter.builder()
            .name("sightline_sidecar_send_retries")
            .help("Send attempts that will be repeated, by cause")
            .labelNames("sink", "cause")
            .register(registry);
    public final Histogram sendDuration = Histogram.builder()
            .name("sightline_sidecar_send_duration_seconds")
            .help("Duration of one send attempt")
            .labelNames("sink")
            .classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
            .register(registry);
    public final Gauge lastSuccess = Gauge.builder()
            .name("sightline_sidecar_last_success_timestamp_seconds")
            .help("Unix time the sink last accepted records; 0 until it has accepted any")
            .labelNames("sink")
            .register(registry);

    public SidecarMetrics() {}

    /**
     * Builds the metrics on a thread of their own: the client's ~150 classes and its properties loader are
     * ~60 ms of start-up that need no setting, so they run beside the configuration and the sink rather than
     * before the reader starts (issue 16, docs/benchmarks.md). {@link CompletableFuture#join} hands over the
     * complete registry: every metric exists before the reader that counts into it starts.
     */
    public static CompletableFuture<SidecarMetrics> buildOnAThread() {
        return CompletableFuture.supplyAsync(SidecarMetrics::new, task -> {
            Thread thread = new Thread(task, "sidecar-metrics-start");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** Registers the lag gauge: per input, bytes written to its files but not yet acknowledged. */
    public void registerLag(Supplier<Map<String, Long>> lagByInput) {
        GaugeWithCallback.builder()
                .name("sightline_sidecar_lag_bytes")
                .help("Bytes written to the input files but not yet acknowledged by the sink")
                .labelNames("input")
                .callback(callback -> lagByInput.get().forEach((input, lag) -> callback.call(lag, input)))
                .register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }
}
