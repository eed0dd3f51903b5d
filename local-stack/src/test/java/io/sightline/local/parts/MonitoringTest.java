package io.sightline.local.parts;

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
import io.sightline.local.check.CheckReport.Outcome;
import io.sightline.local.check.RulesCheck;
import io.sightline.local.monitoring.ScrapeTarget;
import io.sightline.testsupport.prometheus.PrometheusApi;
import io.sightline.testsupport.tool.Tool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Monitoring as a part alone: the configuration it writes, the command lines, and, with the real Prometheus and
 * Alertmanager binaries, that the generated prometheus.yml and file_sd targets give a part's series the labels the
 * Kubernetes relabeling gives (namespace, pod, container, node, job = namespace/app; the series' own labels kept),
 * as they would for a new part (here a kubelet-like endpoint), and that the check sees the targets and rules.
 */
class MonitoringTest {

    @TempDir
    Path dir;

    private Path workDir;
    private Path rules;
    private TestStack stack;
    private HttpServer kubelet;

    @BeforeEach
    void setUp() throws IOException {
        workDir = dir.resolve("run");
        rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("heartbeat.yaml"), """
                groups:
                  - name: heartbeat
                    rules:
                      - alert: Heartbeat
                        expr: vector(1)
                        for: 10m
                """);
        Path jar = Files.writeString(dir.resolve("demo.jar"), "");
        stack = new TestStack(workDir, "--demo-jar", jar.toString(), "--rules-dir", rules.toString());
    }

    @AfterEach
    void tearDown() {
        stack.close();
        if (kubelet != null) {
            kubelet.stop(0);
        }
    }

    /** A part that only has a metrics endpoint, labelled as a kubelet of node-a would be. */
    private StackPart kubeletPart(int port) {
        return new StackPart() {
            @Override
            public void start() {}

            @Override
            public List<ScrapeTarget> scrapeTargets() {
                return List.of(new ScrapeTarget(
                        "kube-system",
                        "kubelet",
                        "kubelet-node-a",
                        "kubelet",
                        "node-a",
                        "127.0.0.1:" + port,
                        "/metrics/cadvisor"));
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void writesTheRulesTheTargetsAndPrometheusYml() throws IOException {
        Monitoring monitoring = new Monitoring(stack.context, new DemoServices(stack.context), List.of());
        ScrapeTarget target = kubeletPart(10250).scrapeTargets().get(0);

        Path config = monitoring.writePrometheusConfig(List.of(target));

        assertThat(config).isEqualTo(workDir.resolve("prometheus/prometheus.yml"));
        assertThat(Files.readString(config))
                .contains(
                        "scrape_interval: 5s",
                        workDir.resolve("prometheus/rules").resolve("*.yaml").toString())
                .doesNotContain("alertmanagers");
        assertThat(Files.readString(workDir.resolve("prometheus/targets/local-stack.json")))
                .contains("\"127.0.0.1:10250\"", "\"job\" : \"kube-system/kubelet\"", "/metrics/cadvisor");
        // the rule's wait is capped for a short run (--keep-rule-waits keeps it)
        assertThat(Files.readString(workDir.resolve("prometheus/rules/heartbeat.yaml")))
                .contains("for: 15s");
        assertThat(stack.output()).contains("1 alert rules from 1 files in " + rules);
    }

    @Test
    void commandLinesBindToLoopbackAndKeepDataInTheWorkDir() {
        Path data = workDir.resolve("data");
        Path config = workDir.resolve("config.yml");

        assertThat(Monitoring.prometheusCommand(Path.of("/usr/bin/prometheus"), config, data, 9090))
                .containsExactly(
                        "/usr/bin/prometheus",
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + data,
                        "--storage.tsdb.retention.time=1d",
                        "--web.listen-address=127.0.0.1:9090");
        assertThat(Monitoring.alertmanagerCommand(Path.of("/usr/bin/alertmanager"), config, data, 9093))
                .containsExactly(
                        "/usr/bin/alertmanager",
                        "--config.file=" + config,
                        "--storage.path=" + data,
                        "--web.listen-address=127.0.0.1:9093",
                        "--cluster.listen-address=");
    }

    @Test
    void prometheusScrapesTheGivenPartsWithTheirLabelsAndTheCheckSaysSo() throws IOException {
        Tool.PROMETHEUS.require();
        Tool.ALERTMANAGER.require();
        kubelet = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        kubelet.createContext("/metrics/cadvisor", exchange -> {
            byte[] body = "machine_cpu_cores{machine=\"node-a\"} 2\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        kubelet.start();
        Monitoring monitoring = new Monitoring(
                stack.context,
                new DemoServices(stack.context),
                List.of(kubeletPart(kubelet.getAddress().getPort())));

        monitoring.start();
        try {
            PrometheusApi prometheus = monitoring.prometheus().orElseThrow();
            List<PrometheusApi.Sample> series = await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> prometheus.query("machine_cpu_cores"), s -> !s.isEmpty());
            assertThat(series).hasSize(1);
            assertThat(series.get(0).labels())
                    .containsAllEntriesOf(Map.of(
                            "job", "kube-system/kubelet",
                            "namespace", "kube-system",
                            "pod", "kubelet-node-a",
                            "container", "kubelet",
                            "node", "node-a",
                            "machine", "node-a"))
                    .doesNotContainKey("__metrics_path__");
            assertThat(series.get(0).value()).isEqualTo(2);
            assertThat(monitoring.urls()).extracting(StackPart.Url::name).containsExactly("Prometheus", "Alertmanager");

            CheckReport report = new CheckReport();
            monitoring.check(report);

            assertThat(report.stages())
                    .extracting(CheckReport.Stage::name, CheckReport.Stage::outcome)
                    .containsExactly(
                            tuple("prometheus scrape", Outcome.PASSED),
                            tuple("rules", Outcome.PASSED),
                            tuple("alerts", Outcome.FAILED));
            assertThat(report.stages().get(0).detail()).startsWith("3 targets up");
            assertThat(report.stages().get(2).detail()).startsWith("not checked");
            CheckReport missingRule = new CheckReport();
            new RulesCheck(prometheus).run(missingRule, 2, Duration.ZERO);
            assertThat(missingRule.stages().get(0).detail()).isEqualTo("1 of 2 alert rules loaded");
        } finally {
            monitoring.close();
        }
        String mark = workDir.toString();
        assertThat(ProcessHandle.allProcesses()
                        .filter(p ->
                                p.isAlive() && p.info().commandLine().orElse("").contains(mark))
                        .toList())
                .as("Prometheus and Alertmanager stopped")
                .isEmpty();
    }
}
