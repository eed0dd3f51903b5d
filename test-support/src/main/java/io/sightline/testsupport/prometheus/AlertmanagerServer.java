package io.sightline.testsupport.prometheus;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import io.sightline.testsupport.tool.ServerProcess;
import io.sightline.testsupport.tool.Tool;

/**
 * A real Alertmanager (the binary on PATH) on 127.0.0.1 with a test's own configuration, its data in
 * {@code data/} of the test's directory, an ephemeral port and clustering off; {@link #start} returns once it is
 * ready, {@link #close()} stops it. Skips the test locally (fails it when {@code CI=true}) when it is missing.
 */
public final class AlertmanagerServer implements AutoCloseable {

    private final ServerProcess process;

    private AlertmanagerServer(ServerProcess process) {
        this.process = process;
    }

    public static AlertmanagerServer start(Path directory, Path configFile) {
        return new AlertmanagerServer(ServerProcess.start(
                Tool.ALERTMANAGER,
                directory,
                // a single instance: no gossip port to pick (and collide on)
                List.of(
                        "--config.file=" + configFile,
                        "--storage.path=" + directory.resolve("data"),
                        "--cluster.listen-address=")));
    }

    public URI url() {
        return process.url();
    }

    @Override
    public void close() {
        process.close();
    }
}
