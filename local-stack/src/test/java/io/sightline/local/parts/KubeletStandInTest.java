package io.sightline.local.parts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.sightline.local.check.CheckReport;
import io.sightline.local.check.CheckReport.Outcome;
import io.sightline.local.kubelet.PodContainer;
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
 * The kubelet stand-in with the real Prometheus and Alertmanager, scraped with the cluster's kubelet jobs
 * (k8s-monitoring/base/prometheus/prometheus.yml, relabeling unchanged) and the project's rules: the test's own JVM
 * stands for the container {@code demo-service} of pod {@code demo-service-0}, and Prometheus and Alertmanager for
 * theirs once they run. Its series get the contract's labels, and the Containers dashboard's check passes on them.
 */
class KubeletStandInTest {

    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path dir;

    private TestStack stack;
    private final List<StackPart> parts = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        Path jar = Files.writeString(dir.resolve("demo.jar"), "");
        stack = new TestStack(
                dir.resolve("run"),
                "--demo-jar",
                jar.toString(),
                "--rules-dir",
                REPOSITORY.resolve("k8s-monitoring/rules").toString(),
                "--cluster-config",
                REPOSITORY
                        .resolve("k8s-monitoring/base/prometheus/prometheus.yml")
                        .toString(),
                "--dashboards-dir",
                REPOSITORY.resolve("dashboards").toString());
    }

    @AfterEach
    void tearDown() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            parts.get(i).close();
        }
        stack.close();
    }

    /** The test's JVM, as a demo pod's app container. */
    private static StackPart thisJvm() {
        return new StackPart() {
            @Override
            public void start() {}

            @Override
            public List<PodContainer> containers() {
                return List.of(new PodContainer(
                        "demo",
                        "demo-service-0",
                        "demo-service",
                        ProcessHandle.current().pid()));
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void servesTheKubeletEndpointsOnlyAtTheirPaths() throws Exception {
        parts.add(thisJvm());
        KubeletStandIn kubelet = new KubeletStandIn(stack.context, parts);
        parts.add(kubelet);
        kubelet.start();
        String address = kubelet.kubeletTargets().get(0).address();
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> cadvisor = http.send(
                HttpRequest.newBuilder(URI.create("http://" + address + "/metrics/cadvisor"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> elsewhere = http.send(
                HttpRequest.newBuilder(URI.create("http://" + address + "/metrics/probes"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(cadvisor.statusCode()).isEqualTo(200);
        assertThat(cadvisor.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(cadvisor.body()).contains("container_cpu_usage_seconds_total{container=\"demo-service\"");
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(kubelet.kubeletTargets()).singleElement().satisfies(t -> assertThat(t.node())
                .isEqualTo("node-a"));
        assertThat(kubelet.urls()).extracting(StackPart.Url::name).containsExactly("kubelet stand-in");
    }

    @Test
    void prometheusScrapesItWithTheClusterKubeletJobsAndTheContainersDashboardHasData() throws IOException {
        Tool.PROMETHEUS.require();
        Tool.ALERTMANAGER.require();
        parts.add(thisJvm());
        KubeletStandIn kubelet = new KubeletStandIn(stack.context, parts);
        parts.add(kubelet);
        kubelet.start();
        Monitoring monitoring = new Monitoring(stack.context, new DemoServices(stack.context), List.copyOf(parts));
        parts.add(monitoring);
        ContainersDashboard dashboard = new ContainersDashboard(stack.context, monitoring, kubelet);
        parts.add(dashboard);
        monitoring.start();

        PrometheusApi prometheus = monitoring.prometheus().orElseThrow();
        List<PrometheusApi.Sample> cpu = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> prometheus.query("container_cpu_usage_seconds_total"), s -> s.stream()
                        .anyMatch(x -> "prometheus".equals(x.labels().get("container"))));
        assertThat(cpu)
                .extracting(s -> s.labels().get("namespace"), s -> s.labels().get("pod"), s -> s.labels()
                        .get("container"))
                .contains(
                        tuple("demo", "demo-service-0", "demo-service"),
                        tuple(Topology.MONITORING_NAMESPACE, "prometheus-0", "prometheus"),
                        tuple(Topology.MONITORING_NAMESPACE, "alertmanager-0", "alertmanager"));
        assertThat(cpu).allSatisfy(s -> assertThat(s.labels())
                .containsEntry("job", "kubelet-cadvisor")
                .containsEntry("node", "node-a")
                .containsKey("image"));
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(prometheus.query(
                                "node_memory_working_set_bytes{job=\"kubelet-resource\", node=\"node-a\"}"))
                        .hasSize(1));

        // Prometheus' and Alertmanager's data directories, as their StatefulSets' claims, through the kubelet job
        List<PrometheusApi.Sample> used = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> prometheus.query("kubelet_volume_stats_used_bytes"), s -> s.size() == 2);
        assertThat(used)
                .extracting(s -> s.labels().get("persistentvolumeclaim"))
                .containsExactlyInAnyOrder("data-prometheus-0", "data-alertmanager-0");
        assertThat(used).allSatisfy(s -> assertThat(s.labels())
                .containsEntry("job", "kubelet")
                .containsEntry("node", "node-a")
                .containsEntry("namespace", Topology.MONITORING_NAMESPACE));
        assertThat(prometheus.query("kubelet_running_pods"))
                .as("dropped by the job")
                .isEmpty();
        assertThat(prometheus.query("container_cpu_usage_seconds_total{job=\"kubelet-resource\"}"))
                .as("dropped by the job")
                .isEmpty();

        CheckReport report = new CheckReport();
        dashboard.check(report);
        monitoring.check(report);
        kubelet.check(report);

        assertThat(report.stages())
                .extracting(CheckReport.Stage::name, CheckReport.Stage::outcome)
                .startsWith(
                        tuple("containers dashboard", Outcome.PASSED),
                        tuple("prometheus scrape", Outcome.PASSED),
                        tuple("rules", Outcome.PASSED));
        assertThat(report.stages().get(0).detail())
                .contains("queries returned data", "kube-state-metrics' series, which need a Kubernetes API (")
                .doesNotContain("volume");
        assertThat(report.stages().get(1).detail())
                .as("Prometheus, Alertmanager and the three kubelet jobs")
                .startsWith("5 targets up");
        assertThat(report.stages())
                .filteredOn(s -> s.name().equals("kubelet"))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.outcome()).isEqualTo(Outcome.PASSED);
                    assertThat(s.detail()).contains("demo-service-0/demo-service", "prometheus-0/prometheus");
                });
    }
}
