package io.sightline.sidecar;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.sightline.sidecar.config.ConfigException;
import io.sightline.sidecar.config.MapSettings;
import io.sightline.sidecar.config.SettingsTable;
import io.sightline.sidecar.config.SidecarConfig;
import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.metrics.SidecarMetrics;
import io.sightline.sidecar.node.ContainerLogFiles;
import io.sightline.sidecar.parse.Identities;
import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.ship.PendingSink;
import io.sightline.sidecar.ship.SinkFactory;
import io.sightline.sidecar.source.FileOpener;
import io.sightline.sidecar.source.FileOrigins;

/**
 * Entry point. {@code --help} prints the configuration reference; {@code --config FILE} names the
 * optional YAML file (same as {@code SIGHTLINE_CONFIG_FILE}). An unusable setting stops start-up
 * with exit code 2 and a message naming it. SIGTERM/SIGINT stop reading, flush within
 * {@code SIGHTLINE_SHUTDOWN_GRACE}, save the checkpoint and exit 0.
 */
public final class Main {

    static final int EXIT_CONFIG = 2;
    static final int EXIT_STARTUP = 1;
    static final int EXIT_FATAL = 70;

    private Main() {}

    public static void main(String[] args) {
        Optional<Path> configFile = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    printReference(System.out);
                    return;
                }
                case "--config" -> {
                    if (i + 1 == args.length) {
                        usage("--config needs a file name");
                    }
                    configFile = Optional.of(Path.of(args[++i]));
                }
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        // needs no setting: built while the configuration is read and the sink is made (issue 16)
        CompletableFuture<SidecarMetrics> metrics = SidecarMetrics.buildOnAThread();
        Map<String, String> env = System.getenv();
        MapSettings settings;
        SidecarConfig config;
        Diagnostics diagnostics;
        Identity identity;
        try {
            settings = MapSettings.load(env, configFile);
            config = SidecarConfig.from(settings);
            diagnostics = Diagnostics.stderr(config.logLevel());
            identity = Identities.from(settings);
        } catch (ConfigException e) {
            configurationError(e);
            return;
        }
        // the sink (HTTP client, snappy's native library) is built while the first files are read (2 cores; issue
        // 16): nothing is sent before it exists, and its failure stops start-up with the same message as ever
        PendingSink sink = PendingSink.build(
                config.sink(), () -> SinkFactory.create(config.sink(), settings, identity, diagnostics));
        FileOrigins origins = FileOrigins.OWN;
        if (config.nodeMode()) {
            try {
                // loaded only here: the Kubernetes client's classes stay out of a sidecar's memory
                origins = ContainerLogFiles.start(config.node(), identity, diagnostics);
            } catch (IllegalArgumentException e) {
                stopIfTheSinkFailed(sink); // its settings were checked first before: its error still comes first
                System.err.println("sightline-log-sidecar: configuration error: " + e.getMessage());
                System.exit(EXIT_CONFIG);
                return;
            }
        }
        Sidecar sidecar;
        try {
            // a dead pipeline thread is a bug: exit non-zero (without the orderly-stop hook) so the pod restarts
            sidecar = new Sidecar(
                    config, sink, diagnostics, FileOpener.DEFAULT, origins, metrics.join(), () -> Runtime.getRuntime()
                            .halt(EXIT_FATAL));
            sidecar.startReading();
        } catch (IOException e) {
            stopIfTheSinkFailed(sink);
            diagnostics.error("cannot start", "error", e);
            System.exit(EXIT_STARTUP);
            return;
        }
        stopIfTheSinkFailed(sink);
        try {
            sidecar.start();
        } catch (IOException e) {
            diagnostics.error("cannot start", "error", e);
            System.exit(EXIT_STARTUP);
            return;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            boolean flushed = sidecar.shutdown(config.shutdownGrace());
                            diagnostics.info("stopped", "flushed", flushed);
                            // a JVM ended by SIGTERM reports 143; an orderly stop is a success for Kubernetes and
                            // scripts
                            Runtime.getRuntime().halt(0);
                        },
                        "sidecar-shutdown"));
        diagnostics.info(
                "started",
                "mode",
                config.nodeMode() ? "node" : "sidecar",
                "sink",
                config.sink(),
                "inputs",
                String.join(",", config.inputGlobs()),
                "metrics_port",
                sidecar.managementPort(),
                "startup_ms",
                ProcessHandle.current()
                        .info()
                        .startInstant()
                        .map(t -> System.currentTimeMillis() - t.toEpochMilli())
                        .orElse(-1L));
    }

    /** Waits for the sink; one that cannot be built ends the process with its error (a setting's: exit 2). */
    private static void stopIfTheSinkFailed(PendingSink sink) {
        try {
            sink.await();
        } catch (ConfigException e) {
            configurationError(e);
        } catch (IOException e) {
            System.err.println("sightline-log-sidecar: cannot create the sink: " + e);
            System.exit(EXIT_STARTUP);
        }
    }

    private static void configurationError(ConfigException e) {
        System.err.println("sightline-log-sidecar: configuration error: " + e.getMessage()
                + " (run with --help for the reference)");
        System.exit(EXIT_CONFIG);
    }

    private static void usage(String problem) {
        System.err.println("sightline-log-sidecar: " + problem + "; usage: [--config FILE] | --help");
        System.exit(EXIT_CONFIG);
    }

    static void printReference(PrintStream out) {
        out.print(SettingsTable.reference());
        out.flush();
    }
}
