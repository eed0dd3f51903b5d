package io.sightline.sidecar.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The core's settings (source, delivery, checkpoint, metrics), read and validated once at start-up.
 * Sink settings are read by the sinks themselves from the same {@link Settings}.
 * Every key, default and meaning is listed in {@code reference.txt} ({@code --help}).
 */
public record SidecarConfig(
        String sink,
        List<String> inputGlobs,
        boolean readFromStart,
        Duration pollInterval,
        int maxLineBytes,
        Duration partialLineTimeout,
        boolean multiline,
        Duration multilineTimeout,
        long batchMaxBytes,
        Duration batchMaxWait,
        long maxInFlightBytes,
        Duration retryInitialBackoff,
        Duration retryMaxBackoff,
        int retryMaxAttempts,
        boolean checkpointEnabled,
        Path checkpointDir,
        boolean metricsEnabled,
        int metricsPort,
        String metricsAddress,
        Duration readyWindow,
        Duration shutdownGrace,
        String logLevel) {

    public static final List<String> SINKS = List.of("loki", "opensearch", "stdout");

    public static SidecarConfig from(Settings s) {
        String sink = s.getChoice("SIGHTLINE_SINK", "loki", SINKS.toArray(String[]::new));
        List<String> globs = Arrays.stream(
                        s.get("SIGHTLINE_INPUT_GLOBS", "/var/log/app/*.log").split(","))
                .map(String::strip)
                .filter(g -> !g.isEmpty())
                .toList();
        for (String glob : globs) {
            if (!glob.startsWith("/")) {
                throw ConfigException.invalid(
                        "SIGHTLINE_INPUT_GLOBS", glob, "absolute path globs such as /var/log/app/*.log");
            }
        }
        if (globs.isEmpty()) {
            throw ConfigException.invalid("SIGHTLINE_INPUT_GLOBS", "", "one or more comma-separated absolute globs");
        }
        boolean fromStart = "beginning".equals(s.getChoice("SIGHTLINE_READ_FROM", "beginning", "beginning", "end"));
        int maxLine = (int) bounded(s, "SIGHTLINE_MAX_LINE_BYTES", 256 << 10, 1 << 10, 64 << 20);
        long batchBytes = bounded(s, "SIGHTLINE_BATCH_MAX_BYTES", 1 << 20, 1 << 10, 64 << 20);
        long inFlight = bounded(s, "SIGHTLINE_MAX_IN_FLIGHT_BYTES", 8 << 20, 2 * batchBytes, 1L << 34);
        Duration initialBackoff = positive(s, "SIGHTLINE_RETRY_INITIAL_BACKOFF", Duration.ofMillis(500));
        Duration maxBackoff = positive(s, "SIGHTLINE_RETRY_MAX_BACKOFF", Duration.ofSeconds(30));
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw ConfigException.invalid(
                    "SIGHTLINE_RETRY_MAX_BACKOFF",
                    s.get("SIGHTLINE_RETRY_MAX_BACKOFF", ""),
                    "a duration at least SIGHTLINE_RETRY_INITIAL_BACKOFF (" + initialBackoff.toMillis() + "ms)");
        }
        return new SidecarConfig(
                sink,
                globs,
                fromStart,
                positive(s, "SIGHTLINE_POLL_INTERVAL", Duration.ofMillis(250)),
                maxLine,
                positive(s, "SIGHTLINE_PARTIAL_LINE_TIMEOUT", Duration.ofSeconds(5)),
                s.getBoolean("SIGHTLINE_MULTILINE", true),
                positive(s, "SIGHTLINE_MULTILINE_TIMEOUT", Duration.ofSeconds(1)),
                batchBytes,
                positive(s, "SIGHTLINE_BATCH_MAX_WAIT", Duration.ofSeconds(1)),
                inFlight,
                initialBackoff,
                maxBackoff,
                s.getInt("SIGHTLINE_RETRY_MAX_ATTEMPTS", 0, 0, 1_000_000),
                s.getBoolean("SIGHTLINE_CHECKPOINT_ENABLED", true),
                Path.of(s.get("SIGHTLINE_CHECKPOINT_DIR", "/var/log/app/.sightline")),
                s.getBoolean("SIGHTLINE_METRICS_ENABLED", true),
                s.getInt("SIGHTLINE_METRICS_PORT", 9095, 0, 65535),
                s.get("SIGHTLINE_METRICS_ADDRESS", "0.0.0.0"),
                positive(s, "SIGHTLINE_READY_WINDOW", Duration.ofSeconds(60)),
                positive(s, "SIGHTLINE_SHUTDOWN_GRACE", Duration.ofSeconds(10)),
                s.getChoice("SIGHTLINE_LOG_LEVEL", "info", "debug", "info", "warn", "error"));
    }

    private static long bounded(Settings s, String key, long defaultValue, long min, long max) {
        long value = s.getBytes(key, defaultValue);
        if (value < min || value > max) {
            throw ConfigException.invalid(
                    key,
                    s.get(key, ""),
                    "a size from " + min + " to " + max + " bytes"
                            + (key.equals("SIGHTLINE_MAX_IN_FLIGHT_BYTES")
                                    ? " (at least twice SIGHTLINE_BATCH_MAX_BYTES)"
                                    : ""));
        }
        return value;
    }

    private static Duration positive(Settings s, String key, Duration defaultValue) {
        Duration value = s.getDuration(key, defaultValue);
        if (value.isZero()) {
            throw ConfigException.invalid(
                    key, s.get(key, ""), "a duration above zero such as " + defaultValue.toMillis() + "ms");
        }
        return value;
    }
}
