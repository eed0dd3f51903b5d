package io.sightline.sidecar;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sightline.sidecar.checkpoint.CheckpointStore;
import io.sightline.sidecar.checkpoint.Checkpoints;
import io.sightline.sidecar.config.SidecarConfig;
import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.metrics.ManagementServer;
import io.sightline.sidecar.metrics.SidecarMetrics;
import io.sightline.sidecar.ship.Delivery;
import io.sightline.sidecar.ship.Sink;
import io.sightline.sidecar.source.FileOpener;
import io.sightline.sidecar.source.FileOrigins;
import io.sightline.sidecar.source.FileTailer;

/**
 * The pipeline: one reader thread (source, parse) and one sender thread (delivery), connected by
 * the bounded in-flight queue (the reader never waits on it: it reads again what the queue refused); checkpoints and metrics alongside. {@link #shutdown} stops reading,
 * sends what is queued within the grace period, saves the checkpoint and closes the sink.
 */
public final class Sidecar {

    private final SidecarConfig config;
    private final Sink sink;
    private final Diagnostics diagnostics;
    private final SidecarMetrics metrics;
    private final Checkpoints checkpoints;
    private final Delivery delivery;
    private final FileTailer tailer;
    private final Thread readerThread;
    private final Thread senderThread;
    private ManagementServer management;
    private boolean stopped;

    /**
     * {@code onFatal} runs if the reader or sender thread dies of an unexpected error (a bug): the
     * process should then end non-zero so that Kubernetes restarts it from the checkpoint.
     */
    public Sidecar(SidecarConfig config, Sink sink, Diagnostics diagnostics, FileOpener opener, Runnable onFatal)
            throws IOException {
        this(config, sink, diagnostics, opener, FileOrigins.OWN, new SidecarMetrics(), onFatal);
    }

    /**
     * {@code origins}: who wrote the files and which are read (the node agent's container log files);
     * {@code metrics}: built beforehand (start-up builds them on a thread of their own), nothing counted yet.
     */
    public Sidecar(
            SidecarConfig config,
            Sink sink,
            Diagnostics diagnostics,
            FileOpener opener,
            FileOrigins origins,
            SidecarMetrics metrics,
            Runnable onFatal)
            throws IOException {
        this.config = config;
        this.metrics = metrics;
        this.sink = sink;
        this.diagnostics = diagnostics;
        CheckpointStore store;
        try {
            store = config.checkpointEnabled() ? new CheckpointStore(config.checkpointDir()) : null;
        } catch (IOException e) {
            throw new IOException(
                    "cannot use SIGHTLINE_CHECKPOINT_DIR " + config.checkpointDir()
                            + ": it must be a writable directory on the shared log volume (" + e + ")",
                    e);
        }
        this.checkpoints = new Checkpoints(store, diagnostics);
        this.delivery = new Delivery(config, sink, checkpoints, metrics, diagnostics);
        this.tailer = new FileTailer(
                config,
                checkpoints,
                delivery,
                metrics,
                sink.name(),
                diagnostics,
                opener,
                origins,
                System::nanoTime,
                () -> System.currentTimeMillis() * 1_000_000L);
        delivery.onRoom(tailer::wake);
        metrics.registerLag(checkpoints::lagByInput);
        // every drop reason shows as 0 from the start, so alerts on increase() see the first drop
        for (String reason : SidecarMetrics.DROP_REASONS) {
            metrics.recordsDropped.labelValues(sink.name(), reason);
        }
        metrics.recordsSent.labelValues(sink.name());
        metrics.mappingConflicts.labelValues(sink.name());
        // 0 until the sink accepts something: "nothing shipped lately" fires also for a sidecar that never shipped
        metrics.lastSuccess.labelValues(sink.name()).set(0);
        this.readerThread = new Thread(tailer, "sidecar-reader");
        this.senderThread = new Thread(delivery, "sidecar-sender");
        Thread.UncaughtExceptionHandler fatal = (thread, error) -> {
            diagnostics.error(
                    "pipeline thread failed; stopping", "thread", thread.getName(), "error", stackTrace(error));
            onFatal.run();
        };
        readerThread.setUncaughtExceptionHandler(fatal);
        senderThread.setUncaughtExceptionHandler(fatal);
    }

    /**
     * Starts reading and parsing the files; the records wait in the in-flight queue and nothing is sent before
     * {@link #start}. Start-up calls this first so that the first lines are read while the sink is still being
     * built (the path to the first batch, issue 16). Idempotent.
     */
    public synchronized void startReading() {
        if (readerThread.getState() == Thread.State.NEW) {
            readerThread.start();
        }
    }

    /** Starts reading (unless {@link #startReading} did), the management server, then sending. */
    public void start() throws IOException {
        startReading();
        if (config.metricsEnabled()) {
            try {
                management = new ManagementServer(
                        config.metricsAddress(), config.metricsPort(), metrics.registry(), delivery::notReadyReason);
            } catch (IOException | RuntimeException e) {
                // start-up fails: the reader stops, nothing was sent
                tailer.stop();
                throw e;
            }
        }
        senderThread.start();
    }

    /** Stops reading, flushes within {@code grace}, saves the checkpoint. Idempotent. */
    public synchronized boolean shutdown(Duration grace) {
        if (stopped) {
            return true;
        }
        stopped = true;
        long deadline = System.nanoTime() + grace.toNanos();
        boolean flushed = false;
        try {
            tailer.stop();
            delivery.closeIntake();
            tailer.awaitStopped(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            flushed = delivery.drain(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkpoints.save();
        sink.close();
        if (management != null) {
            management.close();
        }
        if (!flushed) {
            diagnostics.warn(
                    "shutdown grace ran out before every batch was sent; unsent records stay"
                            + " unacknowledged and are read again after the restart",
                    "grace_ms",
                    grace.toMillis());
        }
        return flushed;
    }

    private static String stackTrace(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    public List<String> inputGlobs() {
        return config.inputGlobs();
    }

    public SidecarMetrics metrics() {
        return metrics;
    }

    public Delivery delivery() {
        return delivery;
    }

    public Checkpoints checkpoints() {
        return checkpoints;
    }

    /** The bound management port (an ephemeral one when {@code SIGHTLINE_METRICS_PORT=0}), or -1 when off. */
    public int managementPort() {
        return management == null ? -1 : management.port();
    }
}
