package io.sightline.dashboards;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus (the binary on PATH) on 127.0.0.1 with a temporary configuration and TSDB directory,
 * scraping nothing: enough for its query engine to parse and evaluate expressions. Stopped by {@link #close()}.
 */
final class PrometheusServer implements AutoCloseable {

    static final String INSTALL_HINT = "apt-get install -y --no-install-recommends prometheus";

    private final Process process;
    private final Path directory;
    private final PrometheusApi api;

    private PrometheusServer(Process process, Path directory, PrometheusApi api) {
        this.process = process;
        this.directory = directory;
        this.api = api;
    }

    static PrometheusServer start(Path binary) throws IOException {
        Path directory = Files.createTempDirectory("sightline-dashboards-prometheus");
        Path config = Files.writeString(directory.resolve("prometheus.yml"), "global:\n  scrape_interval: 15s\n");
        Path log = directory.resolve("prometheus.log");
        int port = freeLoopbackPort();
        Process process = new ProcessBuilder(List.of(
                        binary.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + directory.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--log.level=warn"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PrometheusServer server =
                new PrometheusServer(process, directory, new PrometheusApi(URI.create("http://127.0.0.1:" + port)));
        try {
            await("Prometheus ready on 127.0.0.1:" + port)
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(
                                    "Prometheus exited with " + process.exitValue() + ": " + Files.readString(log));
                        }
                        return server.api.ready();
                    });
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    PrometheusApi api() {
        return api;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteRecursively(directory);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete Prometheus's temporary directory " + directory, e);
        }
    }
}
