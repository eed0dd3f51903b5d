package io.sightline.benchmarks.sidecar;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.http.HttpServerTransport;

/** A single real OpenSearch node on 127.0.0.1 (free ports) for {@code --sink opensearch}, deleted on close. */
final class OpenSearchNode implements AutoCloseable {

    /** The sidecar writes to {@code INDEX_PREFIX + date}; each round's indices are deleted after it. */
    static final String INDEX_PREFIX = "sidecar-bench-";

    private final OpenSearchRunner runner;
    private final URI url;

    private OpenSearchNode(OpenSearchRunner runner, URI url) {
        this.runner = runner;
        this.url = url;
    }

    static OpenSearchNode start(Path basePath) {
        OpenSearchRunner runner = new OpenSearchRunner();
        runner.onBuild((number, settings) -> settings.put("http.port", "0")
                        .put("transport.port", "0")
                        .put("network.host", "127.0.0.1")
                        .put("discovery.type", "single-node")
                        .put("cluster.routing.allocation.disk.threshold_enabled", false))
                .build(OpenSearchRunner.newConfigs()
                        .basePath(basePath.toAbsolutePath().toString())
                        .numOfNode(1)
                        .clusterName("sidecar-benchmark")
                        .disableESLogger()
                        .moduleTypes("org.opensearch.transport.Netty4Plugin"));
        runner.ensureYellow();
        int port = runner.node()
                .injector()
                .getInstance(HttpServerTransport.class)
                .boundAddress()
                .publishAddress()
                .getPort();
        return new OpenSearchNode(runner, URI.create("http://127.0.0.1:" + port));
    }

    URI url() {
        return url;
    }

    /** So rounds start from the same empty node, and the disk does not fill up. */
    void deleteBenchmarkIndices() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(url.resolve("/" + INDEX_PREFIX + "*"))
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("deleting the benchmark indices failed: " + response.body());
        }
    }

    @Override
    public void close() throws IOException {
        runner.close();
        runner.clean();
    }
}
