package io.sightline.sidecar.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.sightline.sidecar.config.SettingsTable.*;

/**
 * The core's settings (source, delivery, checkpoint, metrics), read and validated once at start-up
 * through {@link SettingsTable}. Sink settings are read by the sinks from the same {@link Settings}.
 */
public record SidecarConfig(
        String sink,
        List<String> inputGlobs,
        boolean readFromStart,
        Duration pollInterval,
        Duration rotateWait,
        boolean followSymlinks,
        int maxOpenFiles,
        int maxLineBytes,
        Duration partialLineTimeout,
        boolean multiline,
        Duration multilineTimeout,
        String namespaceFromField,
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
        String logLevel,
        NodeConfig node) {

    /**
     * The node mode's settings; {@code null} in sidecar mode.
     *
     * @param podsDir the kubelet's pod log directory
     */
    public record NodeConfig(Path podsDir, boolean podMetadata, Duration deletedPodGrace, int maxPods) {}

    /**
     * The glob of the node mode's container log files, rotated names included: a file the kubelet rotated before
     * the agent first listed it (a burst beyond the rotation size within one poll) is still found and read from its
     * start. Which matches are read (not {@code .gz}, {@code .tmp}) the node mode's file origins decide.
     */
    static String podLogGlob(Path podsDir) {
        return podsDir.resolve("*").resolve("*").resolve("*.log*").toString();
    }

    public static SidecarConfig from(Settings s) {
        long batchBytes = BATCH_MAX_BYTES.value(s);
        long inFlight = MAX_IN_FLIGHT_BYTES.value(s);
        if (inFlight < 2 * batchBytes) {
            throw ConfigException.invalid(
                    MAX_IN_FLIGHT_BYTES.name(),
                    s.get(MAX_IN_FLIGHT_BYTES.name()).orElse(MAX_IN_FLIGHT_BYTES.defaultText()),
                    "a size at least twice SIGHTLINE_BATCH_MAX_BYTES (" + 2 * batchBytes + " bytes)");
        }
        Duration initialBackoff = RETRY_INITIAL_BACKOFF.value(s);
        Duration maxBackoff = RETRY_MAX_BACKOFF.value(s);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw ConfigException.invalid(
                    RETRY_MAX_BACKOFF.name(),
                    s.get(RETRY_MAX_BACKOFF.name()).orElse(RETRY_MAX_BACKOFF.defaultText()),
                    "a duration at least SIGHTLINE_RETRY_INITIAL_BACKOFF (" + initialBackoff.toMillis() + "ms)");
        }
        NodeConfig node = "node".equals(MODE.value(s)) ? node(s) : null;
        return new SidecarConfig(
                SINK.value(s),
                node == null ? INPUT_GLOBS.value(s) : List.of(podLogGlob(node.podsDir())),
                "beginning".equals(node == null ? READ_FROM.value(s) : NODE_READ_FROM.value(s)),
                POLL_INTERVAL.value(s),
                ROTATE_WAIT.value(s),
                FOLLOW_SYMLINKS.value(s),
                MAX_OPEN_FILES.value(s),
                Math.toIntExact(MAX_LINE_BYTES.value(s)),
                PARTIAL_LINE_TIMEOUT.value(s),
                MULTILINE.value(s),
                MULTILINE_TIMEOUT.value(s),
                NAMESPACE_FROM_FIELD.find(s).orElse(null),
                batchBytes,
                BATCH_MAX_WAIT.value(s),
                inFlight,
                initialBackoff,
                maxBackoff,
                RETRY_MAX_ATTEMPTS.value(s),
                CHECKPOINT_ENABLED.value(s),
                CHECKPOINT_DIR.value(s),
                METRICS_ENABLED.value(s),
                METRICS_PORT.value(s),
                METRICS_ADDRESS.value(s),
                READY_WINDOW.value(s),
                SHUTDOWN_GRACE.value(s),
                LOG_LEVEL.value(s),
                node);
    }

    private static NodeConfig node(Settings s) {
        Path podsDir = NODE_PODS_DIR.value(s).toAbsolutePath().normalize();
        Path checkpointDir = CHECKPOINT_DIR.value(s).toAbsolutePath().normalize();
        if (CHECKPOINT_ENABLED.value(s) && checkpointDir.startsWith(podsDir)) {
            throw ConfigException.invalid(
                    CHECKPOINT_DIR.name(),
                    checkpointDir.toString(),
                    "a directory outside SIGHTLINE_NODE_PODS_DIR (" + podsDir + "), on a hostPath of the agent's"
                            + " own: the pod log directory is the kubelet's and mounted read-only");
        }
        return new NodeConfig(
                podsDir, NODE_POD_METADATA.value(s), NODE_DELETED_POD_GRACE.value(s), NODE_MAX_PODS.value(s));
    }

    /** Whether this is the node agent. */
    public boolean nodeMode() {
        return node != null;
    }
}
