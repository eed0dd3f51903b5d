package io.sightline.k8s.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.prometheus.PrometheusServer;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.sightline.k8s.support.Manifests.configData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scrape jobs' relabeling, run by a real Prometheus on 127.0.0.1. Kubernetes discovery is replaced by a
 * file_sd file holding what Prometheus' pod role discovers (one target per declared container port, with the
 * documented {@code __meta_kubernetes_pod_*} labels); the relabel_configs are the rendered ones, unchanged.
 * Prometheus' /api/v1/targets then shows which targets survive and with which labels: the contract's
 * {@code namespace}, {@code pod}, {@code container}, {@code node} and {@code job} = {@code <namespace>/<app>}.
 * (The collector job's namespace restriction lives in its kubernetes_sd_configs and is checked in
 * {@link PrometheusConfigTest}.) Nothing answers the scrapes; only the target labels are looked at.
 */
class PrometheusRelabelingTest {

    @TempDir
    static Path dir;

    static PrometheusServer prometheus;

    @BeforeAll
    static void startPrometheusWithTheRenderedJobs() throws IOException {
        Map<String, Object> rendered = Yaml.load(configData(
                Manifests.render(ModuleFiles.BASE).generatedConfigMap("prometheus-config"), "prometheus.yml"));
        Path pods = dir.resolve("pods.yaml");
        Files.writeString(pods, discoveredPods());

        List<Object> jobs = new ArrayList<>();
        for (Map<String, Object> job : Yaml.maps(rendered, "scrape_configs")) {
            Map<String, Object> copy = new LinkedHashMap<>(job);
            copy.remove("kubernetes_sd_configs");
            copy.put("file_sd_configs", List.of(Map.of("files", List.of(pods.toString()))));
            // nothing listens there; a long interval keeps Prometheus from trying again and again
            copy.put("scrape_interval", "1h");
            copy.put("scrape_timeout", "1s");
            jobs.add(copy);
        }
        prometheus = PrometheusServer.start(dir, Yaml.dump(Map.of("scrape_configs", jobs)));
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void targetsCarryTheContractsLabels() {
        List<String> expected = List.of(
                "kubernetes-pods http://10.0.0.7:8081/actuator/prometheus {container=orders, instance=10.0.0.7:8081,"
                        + " job=shop/orders, namespace=shop, node=node-a, pod=orders-1}",
                "kubernetes-pods http://10.0.0.9:9000/metrics {container=legacy, instance=10.0.0.9:9000,"
                        + " job=shop/legacy, namespace=shop, node=node-b, pod=legacy-1}",
                "log-sidecars http://10.0.0.7:9095/metrics {container=log-sidecar, instance=10.0.0.7:9095,"
                        + " job=shop/orders, namespace=shop, node=node-a, pod=orders-1}",
                "log-sidecars http://10.0.1.2:9095/metrics {container=log-sidecar, instance=10.0.1.2:9095,"
                        + " job=monitoring/sightline-event-collector, namespace=monitoring, node=node-a,"
                        + " pod=sightline-event-collector-1}",
                "sightline-event-collector http://10.0.1.2:8081/actuator/prometheus {container=event-collector,"
                        + " instance=10.0.1.2:8081, job=monitoring/sightline-event-collector, namespace=monitoring,"
                        + " node=node-a, pod=sightline-event-collector-1}");

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(activeTargets()).containsExactlyInAnyOrderElementsOf(expected));
    }

    /** "scrapePool scrapeUrl {labels}" of every active target, sorted labels. */
    private static List<String> activeTargets() throws IOException {
        return prometheus.api().activeTargets().stream()
                .map(target -> target.scrapePool() + " " + target.scrapeUrl() + " " + new TreeMap<>(target.labels()))
                .toList();
    }

    /**
     * What the pod role reports for four pods: one target per declared container port (init containers included,
     * flagged by __meta_kubernetes_pod_container_init), each with the pod's labels and annotations.
     */
    private static String discoveredPods() {
        List<Map<String, Object>> groups = new ArrayList<>();
        Map<String, String> orders = pod(
                "shop",
                "orders-1",
                "10.0.0.7",
                "node-a",
                "Running",
                Map.of("app_kubernetes_io_name", "orders", "sightline_io_log_sidecar", "true"),
                Map.of(
                        "prometheus_io_scrape",
                        "true",
                        "prometheus_io_port",
                        "8081",
                        "prometheus_io_path",
                        "/actuator/prometheus"));
        groups.add(port(orders, "orders", false, "http", 8080));
        groups.add(port(orders, "orders", false, "management", 8081));
        groups.add(port(orders, "log-sidecar", true, "sidecar-metrics", 9095));

        // app label only, default path
        Map<String, String> legacy = pod(
                "shop",
                "legacy-1",
                "10.0.0.9",
                "node-b",
                "Running",
                Map.of("app", "legacy"),
                Map.of("prometheus_io_scrape", "true", "prometheus_io_port", "9000"));
        groups.add(port(legacy, "legacy", false, "metrics", 9000));

        // not annotated, no sidecar: nobody scrapes it
        Map<String, String> quiet = pod(
                "shop",
                "quiet-1",
                "10.0.0.11",
                "node-b",
                "Running",
                Map.of("app.kubernetes.io/name".replaceAll("[./]", "_"), "quiet"),
                Map.of());
        groups.add(port(quiet, "quiet", false, "http", 8080));

        // finished: dropped although annotated
        Map<String, String> done = pod(
                "shop",
                "migrate-1",
                "10.0.0.12",
                "node-b",
                "Succeeded",
                Map.of("app", "migrate"),
                Map.of("prometheus_io_scrape", "true", "prometheus_io_port", "8081"));
        groups.add(port(done, "migrate", false, "management", 8081));

        Map<String, String> collector = pod(
                "monitoring",
                "sightline-event-collector-1",
                "10.0.1.2",
                "node-a",
                "Running",
                Map.of("app_kubernetes_io_name", "sightline-event-collector"),
                Map.of(
                        "prometheus_io_scrape",
                        "true",
                        "prometheus_io_port",
                        "8081",
                        "prometheus_io_path",
                        "/actuator/prometheus"));
        groups.add(port(collector, "event-collector", false, "http", 8080));
        groups.add(port(collector, "event-collector", false, "management", 8081));
        groups.add(port(collector, "log-sidecar", true, "sidecar-metrics", 9095));
        return Yaml.dump(groups);
    }

    private static Map<String, String> pod(
            String namespace,
            String name,
            String ip,
            String node,
            String phase,
            Map<String, String> labels,
            Map<String, String> annotations) {
        Map<String, String> meta = new TreeMap<>();
        meta.put("__meta_kubernetes_namespace", namespace);
        meta.put("__meta_kubernetes_pod_name", name);
        meta.put("__meta_kubernetes_pod_ip", ip);
        meta.put("__meta_kubernetes_pod_node_name", node);
        meta.put("__meta_kubernetes_pod_phase", phase);
        labels.forEach((k, v) -> meta.put("__meta_kubernetes_pod_label_" + k, v));
        annotations.forEach((k, v) -> meta.put("__meta_kubernetes_pod_annotation_" + k, v));
        return meta;
    }

    private static Map<String, Object> port(
            Map<String, String> pod, String container, boolean init, String portName, int port) {
        Map<String, String> labels = new TreeMap<>(pod);
        labels.put("__meta_kubernetes_pod_container_name", container);
        labels.put("__meta_kubernetes_pod_container_init", String.valueOf(init));
        labels.put("__meta_kubernetes_pod_container_port_name", portName);
        labels.put("__meta_kubernetes_pod_container_port_number", String.valueOf(port));
        labels.put("__meta_kubernetes_pod_container_port_protocol", "TCP");
        return Map.of("targets", List.of(pod.get("__meta_kubernetes_pod_ip") + ":" + port), "labels", labels);
    }
}
