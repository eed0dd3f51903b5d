package io.sightline.k8s.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.tool.ServerProcess;
import io.sightline.testsupport.tool.Tool;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.sightline.k8s.support.Manifests.configData;
import static io.sightline.k8s.support.Manifests.podTemplate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus, started with the feature flags of the rendered StatefulSet, scrapes an OpenMetrics endpoint on
 * 127.0.0.1 that writes a latency bucket with an exemplar the way the starter does
 * ({@code # {span_id="…",trace_id="…"}}, docs/telemetry-starter.md), and keeps the exemplar: its query API returns
 * it with the label Grafana's Prometheus datasource links to Tempo by.
 */
class PrometheusExemplarTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @TempDir
    Path dir;

    @Test
    void keepsTheStartersExemplarsUnderTheLabelGrafanaLinks() throws Exception {
        Manifests base = Manifests.render(ModuleFiles.BASE);
        HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/actuator/prometheus", exchange -> {
            // the exemplar only on a bucket line: Debian's Prometheus 2.42 refuses one on _count (docs/local-stack.md)
            byte[] body = ("""
                            # TYPE http_server_requests_seconds histogram
                            http_server_requests_seconds_bucket{uri="/orders",le="0.1"} 3 # {span_id="00f067aa0ba902b7",trace_id="%s"} 0.042
                            http_server_requests_seconds_bucket{uri="/orders",le="+Inf"} 3
                            http_server_requests_seconds_count{uri="/orders"} 3
                            http_server_requests_seconds_sum{uri="/orders"} 0.1
                            # EOF
                            """).formatted(TRACE_ID).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders()
                    .set("Content-Type", "application/openmetrics-text; version=1.0.0; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(
                config,
                Yaml.dump(Map.of(
                        "global",
                        Map.of("scrape_interval", "1s"),
                        "scrape_configs",
                        List.of(Map.of(
                                "job_name",
                                "shop/orders",
                                "metrics_path",
                                "/actuator/prometheus",
                                "static_configs",
                                List.of(Map.of(
                                        "targets",
                                        List.of("127.0.0.1:" + app.getAddress().getPort()))))))));
        List<String> arguments = new ArrayList<>(featureFlags(base));
        arguments.add("--config.file=" + config);
        arguments.add("--storage.tsdb.path=" + dir.resolve("data"));

        try (ServerProcess prometheus = ServerProcess.start(Tool.PROMETHEUS, dir, arguments)) {
            String traceLabel = exemplarTraceLabel(base);
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(exemplars(prometheus.url()))
                            .contains("\"" + traceLabel + "\":\"" + TRACE_ID + "\""));
        } finally {
            app.stop(0);
        }
    }

    /** The --enable-feature flags the StatefulSet starts Prometheus with. */
    private static List<String> featureFlags(Manifests base) {
        List<String> flags = Yaml.maps(podTemplate(base.get("StatefulSet", "prometheus")), "spec", "containers")
                .get(0)
                .entrySet()
                .stream()
                .filter(e -> e.getKey().equals("args"))
                .flatMap(e -> ((List<?>) e.getValue()).stream())
                .map(String::valueOf)
                .filter(arg -> arg.startsWith("--enable-feature="))
                .toList();
        assertThat(flags).contains("--enable-feature=exemplar-storage");
        return flags;
    }

    private static String exemplarTraceLabel(Manifests base) {
        Map<String, Object> datasources =
                Yaml.load(configData(base.generatedConfigMap("grafana-provisioning"), "datasources.yaml"));
        return Yaml.maps(datasources, "datasources").stream()
                .filter(d -> "prometheus".equals(d.get("uid")))
                .map(d -> Yaml.text(d, "jsonData", "exemplarTraceIdDestinations", "0", "name"))
                .findFirst()
                .orElseThrow();
    }

    private static String exemplars(URI prometheus) throws IOException, InterruptedException {
        Instant now = Instant.now();
        URI query = prometheus.resolve("/api/v1/query_exemplars?query=http_server_requests_seconds_bucket&start="
                + now.minusSeconds(3600).getEpochSecond() + "&end="
                + now.plusSeconds(60).getEpochSecond());
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(query)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
