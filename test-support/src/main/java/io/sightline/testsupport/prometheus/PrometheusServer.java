package io.sightline.testsupport.prometheus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.sightline.testsupport.tool.ServerProcess;
import io.sightline.testsupport.tool.Tool;

/**
 * A real Prometheus (the binary on PATH) on 127.0.0.1 with a test's own configuration, its TSDB in
 * {@code data/} of the test's directory and an ephemeral port; {@link #start} returns once it is ready,
 * {@link #close()} stops it. Skips the test locally (fails it when {@code CI=true}) when Prometheus is missing.
 */
public final class PrometheusServer implements AutoCloseable {

    private final ServerProcess process;
    private final PrometheusApi api;

    private PrometheusServer(ServerProcess process) {
        this.process = process;
        this.api = new PrometheusApi(process.url());
    }

    /** Writes {@code prometheus.yml} with this content into {@code directory} and starts Prometheus with it. */
    public static PrometheusServer start(Path directory, String configYaml) {
        Path config = directory.resolve("prometheus.yml");
        try {
            Files.writeString(config, configYaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        return start(directory, config);
    }

    /** Starts Prometheus with this configuration file, keeping its data and log in {@code directory}. */
    public static PrometheusServer start(Path directory, Path configFile) {
        return new PrometheusServer(ServerProcess.start(
                Tool.PROMETHEUS,
                directory,
                List.of("--config.file=" + configFile, "--storage.tsdb.path=" + directory.resolve("data"))));
    }

    public URI url() {
        return process.url();
    }

    public PrometheusApi api() {
        return api;
    }

    @Override
    public void close() {
        process.close();
    }
}
