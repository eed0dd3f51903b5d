package io.sightline.sidecar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.sightline.sidecar.config.MapSettings;
import io.sightline.sidecar.config.SidecarConfig;
import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.ship.SendResult;
import io.sightline.sidecar.ship.Sink;

/** Shared helpers of the end-to-end tests: fast test settings, a collecting sink, captured diagnostics. */
public final class TestSupport {

    private TestSupport() {}

    /** Settings for a sidecar reading {@code logs/*.log}, with short intervals and an ephemeral metrics port. */
    public static Map<String, String> settings(Path logs, Path checkpoints) {
        Map<String, String> values = new HashMap<>();
        values.put("SIGHTLINE_SINK", "stdout");
        values.put("SIGHTLINE_INPUT_GLOBS", logs + "/*.log");
        values.put("SIGHTLINE_CHECKPOINT_DIR", checkpoints.toString());
        values.put("SIGHTLINE_POLL_INTERVAL", "20ms");
        values.put("SIGHTLINE_BATCH_MAX_WAIT", "50ms");
        values.put("SIGHTLINE_METRICS_PORT", "0");
        values.put("SIGHTLINE_METRICS_ADDRESS", "127.0.0.1");
        values.put("SIGHTLINE_RETRY_INITIAL_BACKOFF", "20ms");
        values.put("SIGHTLINE_RETRY_MAX_BACKOFF", "200ms");
        return values;
    }

    /**
     * The value of one sample of the sidecar's registry as {@code /metrics} shows it, e.g.
     * {@code metric(sidecar, "sightline_sidecar_records_dropped_total{reason=\"rejected\",sink=\"loki\"}")};
     * NaN when the series does not exist (yet).
     */
    public static double metric(Sidecar sidecar, String series) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create()
                    .write(text, sidecar.metrics().registry().scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : text.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).strip());
            }
        }
        return Double.NaN;
    }

    public static SidecarConfig config(Map<String, String> values) {
        return SidecarConfig.from(new MapSettings(values));
    }

    /** Diagnostics written to memory at debug level, so tests can check what was reported. */
    public static final class CapturedDiagnostics {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        public final Diagnostics diagnostics =
                new Diagnostics(new PrintStream(buffer, true, StandardCharsets.UTF_8), Diagnostics.Level.DEBUG);

        public String text() {
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }

    /** Keeps every record it is sent, accepting all of them. */
    public static final class CollectingSink implements Sink {
        private final List<LogRecord> records = new ArrayList<>();

        @Override
        public String name() {
            return "collecting";
        }

        @Override
        public synchronized SendResult send(List<LogRecord> batch) {
            records.addAll(batch);
            return SendResult.ok();
        }

        public synchronized List<LogRecord> records() {
            return List.copyOf(records);
        }

        public synchronized int count() {
            return records.size();
        }
    }

    /** A Loki that is down: every batch is answered 503 and kept for a retry. */
    static final class DownSink implements Sink {
        @Override
        public String name() {
            return "loki";
        }

        @Override
        public SendResult send(List<LogRecord> batch) {
            return SendResult.retryAll(batch, "http_503", null);
        }
    }
}
