package io.sightline.local.monitoring;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import io.sightline.local.check.CheckReport;
import io.sightline.local.check.RulesCheck;
import io.sightline.local.check.ScrapeCheck;
import io.sightline.testsupport.prometheus.PrometheusApi;
import io.sightline.testsupport.prometheus.PrometheusServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The generated prometheus.yml and file_sd targets, loaded by the real Prometheus binary, give a scraped series
 * the labels the Kubernetes relabeling gives (namespace, pod, container, node, job = namespace/app), and the
 * rules check sees the loaded rule.
 */
class PrometheusScrapeLabelsTest {

    @TempDir
    Path dir;

    private HttpServer app;
    private PrometheusServer prometheus;

    @AfterEach
    void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (app != null) {
            app.stop(0);
        }
    }

    @Test
    void scrapedSeriesCarryTheKubernetesLabels() throws IOException {
        app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/actuator/prometheus", exchange -> {
            byte[] body = "demo_requests_total{application=\"demo-service\"} 7\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
        ScrapeTarget target = new ScrapeTarget(
                "demo",
                "demo-service",
                "demo-service-0",
                "demo-service",
                "node-a",
                "127.0.0.1:" + app.getAddress().getPort(),
                "/actuator/prometheus");
        Path targets = Files.createDirectories(dir.resolve("targets"));
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("heartbeat.yaml"), """
                groups:
                  - name: heartbeat
                    rules:
                      - alert: Heartbeat
                        expr: vector(1)
                """);
        ScrapeTargets.write(targets.resolve("local.json"), List.of(target));
        prometheus = PrometheusServer.start(
                dir, new PrometheusConfig(Duration.ofSeconds(1), Duration.ofSeconds(1), null, rules, targets).toYaml());
        PrometheusApi api = prometheus.api();

        List<PrometheusApi.Sample> series = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> api.query("demo_requests_total"), s -> !s.isEmpty());

        assertThat(series).hasSize(1);
        assertThat(series.get(0).labels())
                .containsAllEntriesOf(Map.of(
                        "job",
                        "demo/demo-service",
                        "namespace",
                        "demo",
                        "pod",
                        "demo-service-0",
                        "container",
                        "demo-service",
                        "node",
                        "node-a",
                        "application",
                        "demo-service"));
        assertThat(series.get(0).labels()).doesNotContainKey("__metrics_path__");
        assertThat(series.get(0).value()).isEqualTo(7);

        CheckReport report = new CheckReport();
        new ScrapeCheck(api, List.of(target)).run(report, "demo", List.of(), Duration.ofSeconds(30));
        new RulesCheck(api).run(report, 1, Duration.ofSeconds(30));
        assertThat(report.allPassed()).as(report.render()).isTrue();

        CheckReport missingRule = new CheckReport();
        new RulesCheck(api).run(missingRule, 2, Duration.ZERO);
        assertThat(missingRule.stages().get(0).detail()).isEqualTo("1 of 2 alert rules loaded");
    }
}
