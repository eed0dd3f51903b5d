package io.sightline.k8s.config;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.sun.net.httpserver.HttpServer;
import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.prometheus.FileSdScrapeJob;
import io.sightline.testsupport.prometheus.PrometheusApi;
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
 * What the kubelet and kube-state-metrics jobs store: a real Prometheus on 127.0.0.1 scrapes, with the rendered jobs'
 * relabel_configs and metric_relabel_configs unchanged ({@link FileSdScrapeJob}: discovery from a file, plain HTTP),
 * two fakes. The kubelet fake answers {@code /metrics/cadvisor}, {@code /metrics/resource} and {@code /metrics} in the
 * Prometheus text format (0.0.4) as a kubelet does, with series of every kind the jobs keep or drop, and cAdvisor's
 * own sample timestamps (an hour old here: the job ignores them, so the series are stored at the scrape and seen
 * now). The kube-state-metrics fake answers its object series. There is no kubelet binary to run here; the fakes' series follow the kubelet's and
 * kube-state-metrics' documented names and labels (docs/telemetry-contract.md section 4).
 */
class KubeletScrapeTest {

    private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    @TempDir
    static Path dir;

    static HttpServer kubelet;
    static HttpServer kubeState;
    static PrometheusServer prometheus;

    @BeforeAll
    static void scrapeTheFakesWithTheRenderedJobs() throws IOException {
        long hourAgo = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
        kubelet = serve(Map.of(
                "/metrics/cadvisor", cadvisor(hourAgo),
                "/metrics/resource", resource(),
                "/metrics", kubeletOwn()));
        kubeState = serve(Map.of("/metrics", kubeStateMetrics()));

        Map<String, Object> rendered = Yaml.load(configData(
                Manifests.render(ModuleFiles.BASE).generatedConfigMap("prometheus-config"), "prometheus.yml"));
        Path nodes = dir.resolve("nodes.yaml");
        Files.writeString(
                nodes,
                Yaml.dump(List.of(Map.of(
                        "targets",
                        List.of("127.0.0.1:" + kubelet.getAddress().getPort()),
                        "labels",
                        Map.of("__meta_kubernetes_node_name", "node-a")))));
        Path pods = dir.resolve("pods.yaml");
        Files.writeString(
                pods,
                Yaml.dump(List.of(Map.of(
                        "targets",
                        List.of("127.0.0.1:" + kubeState.getAddress().getPort()),
                        "labels",
                        Map.of(
                                "__meta_kubernetes_namespace", "monitoring",
                                "__meta_kubernetes_pod_name", "kube-state-metrics-5d9f7-x2x9k",
                                "__meta_kubernetes_pod_ip", "127.0.0.1",
                                "__meta_kubernetes_pod_node_name", "node-b",
                                "__meta_kubernetes_pod_phase", "Running",
                                "__meta_kubernetes_pod_label_app_kubernetes_io_name", "kube-state-metrics",
                                "__meta_kubernetes_pod_container_name", "kube-state-metrics",
                                "__meta_kubernetes_pod_container_port_name", "http-metrics",
                                "__meta_kubernetes_pod_container_port_number",
                                        String.valueOf(kubeState.getAddress().getPort()))))));

        List<Object> jobs = new ArrayList<>();
        for (Map<String, Object> job : Yaml.maps(rendered, "scrape_configs")) {
            String name = Yaml.text(job, "job_name");
            if (name.startsWith("kubelet") || name.equals("kube-state-metrics")) {
                Map<String, Object> local =
                        new LinkedHashMap<>(FileSdScrapeJob.of(job, name.startsWith("kubelet") ? nodes : pods));
                local.put("scrape_interval", "1s");
                local.put("scrape_timeout", "1s");
                jobs.add(local);
            }
        }
        assertThat(jobs).hasSize(4);
        prometheus = PrometheusServer.start(dir, Yaml.dump(Map.of("scrape_configs", jobs)));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        for (HttpServer server : new HttpServer[] {kubelet, kubeState}) {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    @Test
    void cadvisorKeepsWhatTheRulesReadAndDropsWhatKubePrometheusDrops() {
        List<String> stored = awaitSeries("{job=\"kubelet-cadvisor\"}", 12);

        assertThat(stored)
                .containsExactlyInAnyOrder(
                        "container_cpu_usage_seconds_total{container=orders, cpu=total, id=/kubepods/pod1/c1,"
                                + " image=registry.example/orders:1.4.2, instance=*, job=kubelet-cadvisor, name=c1,"
                                + " namespace=shop, node=node-a, pod=orders-1}",
                        "container_cpu_cfs_periods_total{container=orders, id=/kubepods/pod1/c1,"
                                + " image=registry.example/orders:1.4.2, instance=*, job=kubelet-cadvisor, name=c1,"
                                + " namespace=shop, node=node-a, pod=orders-1}",
                        "container_cpu_cfs_throttled_periods_total{container=orders, id=/kubepods/pod1/c1,"
                                + " image=registry.example/orders:1.4.2, instance=*, job=kubelet-cadvisor, name=c1,"
                                + " namespace=shop, node=node-a, pod=orders-1}",
                        "container_cpu_cfs_throttled_seconds_total{container=orders, id=/kubepods/pod1/c1,"
                                + " image=registry.example/orders:1.4.2, instance=*, job=kubelet-cadvisor, name=c1,"
                                + " namespace=shop, node=node-a, pod=orders-1}",
                        "container_memory_working_set_bytes{container=orders, id=/kubepods/pod1/c1,"
                                + " image=registry.example/orders:1.4.2, instance=*, job=kubelet-cadvisor, name=c1,"
                                + " namespace=shop, node=node-a, pod=orders-1}",
                        // the pod's cgroup: kept (its network series live here), left out by the rules' container!=""
                        "container_memory_working_set_bytes{id=/kubepods/pod1, instance=*, job=kubelet-cadvisor,"
                                + " namespace=shop, node=node-a, pod=orders-1}",
                        // outside any pod: kept for the node's totals, but not its spec_* and per-cgroup counts
                        "container_memory_working_set_bytes{id=/system.slice/containerd.service, instance=*,"
                                + " job=kubelet-cadvisor, node=node-a}",
                        "container_spec_memory_limit_bytes{container=orders, id=/kubepods/pod1/c1,"
                                + " image=registry.example/orders:1.4.2, instance=*, job=kubelet-cadvisor, name=c1,"
                                + " namespace=shop, node=node-a, pod=orders-1}",
                        "container_spec_cpu_quota{container=orders, id=/kubepods/pod1/c1,"
                                + " image=registry.example/orders:1.4.2, instance=*, job=kubelet-cadvisor, name=c1,"
                                + " namespace=shop, node=node-a, pod=orders-1}",
                        "container_spec_cpu_period{container=orders, id=/kubepods/pod1/c1,"
                                + " image=registry.example/orders:1.4.2, instance=*, job=kubelet-cadvisor, name=c1,"
                                + " namespace=shop, node=node-a, pod=orders-1}",
                        "container_network_receive_bytes_total{id=/kubepods/pod1, instance=*, interface=eth0,"
                                + " job=kubelet-cadvisor, namespace=shop, node=node-a, pod=orders-1}",
                        "container_blkio_device_usage_total{device=/dev/vda, id=/kubepods/pod1, instance=*,"
                                + " job=kubelet-cadvisor, major=252, minor=0, namespace=shop, node=node-a,"
                                + " operation=Read, pod=orders-1}");
    }

    @Test
    void resourceEndpointKeepsOnlyTheNodeTotals() {
        assertThat(awaitSeries("{job=\"kubelet-resource\"}", 2))
                .containsExactlyInAnyOrder(
                        "node_cpu_usage_seconds_total{instance=*, job=kubelet-resource, node=node-a}",
                        "node_memory_working_set_bytes{instance=*, job=kubelet-resource, node=node-a}");
    }

    @Test
    void kubeletEndpointKeepsOnlyVolumeStatistics() {
        assertThat(awaitSeries("{job=\"kubelet\"}", 3))
                .containsExactlyInAnyOrder(
                        "kubelet_volume_stats_available_bytes{instance=*, job=kubelet, namespace=monitoring,"
                                + " node=node-a, persistentvolumeclaim=data-loki-0}",
                        "kubelet_volume_stats_capacity_bytes{instance=*, job=kubelet, namespace=monitoring,"
                                + " node=node-a, persistentvolumeclaim=data-loki-0}",
                        "kubelet_volume_stats_used_bytes{instance=*, job=kubelet, namespace=monitoring,"
                                + " node=node-a, persistentvolumeclaim=data-loki-0}");
    }

    /** Each series keeps its object's labels, and none gets kube-state-metrics' own pod, namespace or node. */
    @Test
    void kubeStateMetricsSeriesNameTheirObjectsOnly() {
        assertThat(awaitSeries("{job=\"monitoring/kube-state-metrics\"}", 3))
                .containsExactlyInAnyOrder(
                        "kube_pod_container_status_restarts_total{container=orders, instance=*,"
                                + " job=monitoring/kube-state-metrics, namespace=shop, pod=orders-1, uid=u1}",
                        "kube_deployment_spec_replicas{deployment=orders, instance=*,"
                                + " job=monitoring/kube-state-metrics, namespace=shop}",
                        "kube_node_status_condition{condition=Ready, instance=*, job=monitoring/kube-state-metrics,"
                                + " node=node-a, status=true}");
    }

    /** Every series of the selector but {@code up} and the scrape_* ones, labels sorted, instance blanked. */
    private static List<String> awaitSeries(String selector, int count) {
        return await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> series(prometheus.api(), selector), s -> s.size() >= count);
    }

    private static List<String> series(PrometheusApi api, String selector) throws IOException {
        List<String> found = new ArrayList<>();
        for (PrometheusApi.Sample sample : api.query(selector)) {
            Map<String, String> labels = new TreeMap<>(sample.labels());
            String name = labels.remove("__name__");
            if (name.equals("up") || name.startsWith("scrape_")) {
                continue;
            }
            labels.put("instance", "*");
            found.add(name + labels);
        }
        return found;
    }

    private static String cadvisor(long timestamp) {
        String orders = "container=\"orders\",id=\"/kubepods/pod1/c1\",image=\"registry.example/orders:1.4.2\","
                + "name=\"c1\",namespace=\"shop\",pod=\"orders-1\"";
        String podCgroup =
                "container=\"\",id=\"/kubepods/pod1\",image=\"\",name=\"\",namespace=\"shop\",pod=\"orders-1\"";
        String system = "container=\"\",id=\"/system.slice/containerd.service\",image=\"\",name=\"\",namespace=\"\","
                + "pod=\"\"";
        StringBuilder text = new StringBuilder();
        // cpu="total": the kubelet runs cAdvisor without per-CPU usage
        family(text, "container_cpu_usage_seconds_total", "counter", timestamp, "{" + orders + ",cpu=\"total\"} 12.5");
        family(text, "container_cpu_cfs_periods_total", "counter", timestamp, "{" + orders + "} 6000");
        family(text, "container_cpu_cfs_throttled_periods_total", "counter", timestamp, "{" + orders + "} 120");
        family(text, "container_cpu_cfs_throttled_seconds_total", "counter", timestamp, "{" + orders + "} 3.2");
        family(
                text,
                "container_memory_working_set_bytes",
                "gauge",
                timestamp,
                "{" + orders + "} 2.5e+08",
                "{" + podCgroup + "} 2.6e+08",
                "{" + system + "} 9e+07");
        family(
                text,
                "container_spec_memory_limit_bytes",
                "gauge",
                timestamp,
                "{" + orders + "} 5.36870912e+08",
                "{" + system + "} 0");
        family(text, "container_spec_cpu_quota", "gauge", timestamp, "{" + orders + "} 100000");
        family(text, "container_spec_cpu_period", "gauge", timestamp, "{" + orders + "} 100000");
        family(text, "container_spec_cpu_shares", "gauge", timestamp, "{" + orders + "} 512");
        family(text, "container_spec_memory_reservation_limit_bytes", "gauge", timestamp, "{" + orders + "} 0");
        family(text, "container_tasks_state", "gauge", timestamp, "{" + orders + ",state=\"running\"} 1");
        family(text, "container_threads", "gauge", timestamp, "{" + system + "} 40");
        family(
                text,
                "container_network_receive_bytes_total",
                "counter",
                timestamp,
                "{" + podCgroup + ",interface=\"eth0\"} 1.2e+07");
        family(
                text,
                "container_blkio_device_usage_total",
                "counter",
                timestamp,
                "{" + orders + ",device=\"/dev/vda\",major=\"252\",minor=\"0\",operation=\"Read\"} 4096",
                "{" + podCgroup + ",device=\"/dev/vda\",major=\"252\",minor=\"0\",operation=\"Read\"} 4096");
        return text.toString();
    }

    private static String resource() {
        StringBuilder text = new StringBuilder();
        family(text, "node_cpu_usage_seconds_total", "counter", -1, " 3456.7");
        family(text, "node_memory_working_set_bytes", "gauge", -1, " 2.1e+09");
        family(
                text,
                "container_cpu_usage_seconds_total",
                "counter",
                -1,
                "{container=\"orders\",namespace=\"shop\",pod=\"orders-1\"} 12.5");
        family(text, "pod_memory_working_set_bytes", "gauge", -1, "{namespace=\"shop\",pod=\"orders-1\"} 2.6e+08");
        return text.toString();
    }

    private static String kubeletOwn() {
        String claim = "{namespace=\"monitoring\",persistentvolumeclaim=\"data-loki-0\"}";
        StringBuilder text = new StringBuilder();
        family(text, "kubelet_volume_stats_capacity_bytes", "gauge", -1, claim + " 5.36870912e+10");
        family(text, "kubelet_volume_stats_available_bytes", "gauge", -1, claim + " 4e+10");
        family(text, "kubelet_volume_stats_used_bytes", "gauge", -1, claim + " 1.36870912e+10");
        family(text, "kubelet_running_pods", "gauge", -1, " 12");
        family(
                text,
                "kubelet_runtime_operations_duration_seconds_bucket",
                "histogram",
                -1,
                "{operation_type=\"create_container\",le=\"0.005\"} 3");
        return text.toString();
    }

    private static String kubeStateMetrics() {
        StringBuilder text = new StringBuilder();
        family(
                text,
                "kube_pod_container_status_restarts_total",
                "counter",
                -1,
                "{namespace=\"shop\",pod=\"orders-1\",uid=\"u1\",container=\"orders\"} 3");
        family(text, "kube_deployment_spec_replicas", "gauge", -1, "{namespace=\"shop\",deployment=\"orders\"} 2");
        family(
                text,
                "kube_node_status_condition",
                "gauge",
                -1,
                "{node=\"node-a\",condition=\"Ready\",status=\"true\"} 1");
        return text.toString();
    }

    /** One family in the text format; each sample is "{labels} value" and gets the timestamp when it is not -1. */
    private static void family(StringBuilder text, String name, String type, long timestamp, String... samples) {
        String familyName = type.equals("histogram") ? name.replaceFirst("_bucket$", "") : name;
        text.append("# HELP ").append(familyName).append(' ').append(familyName).append('\n');
        text.append("# TYPE ").append(familyName).append(' ').append(type).append('\n');
        for (String sample : samples) {
            text.append(name).append(sample);
            if (timestamp >= 0) {
                text.append(' ').append(timestamp);
            }
            text.append('\n');
        }
    }

    private static HttpServer serve(Map<String, String> bodies) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        bodies.forEach((path, body) -> server.createContext(path, exchange -> {
            // contexts match by prefix: /metrics must not answer /metrics/cadvisor
            if (!exchange.getRequestURI().getPath().equals(path)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", TEXT_FORMAT);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }));
        server.start();
        return server;
    }
}
