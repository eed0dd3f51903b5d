package io.sightline.k8s.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.k8s.support.Quantities;
import io.sightline.testsupport.tool.Tool;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.sightline.k8s.support.Manifests.configData;
import static io.sightline.k8s.support.Manifests.podTemplate;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Prometheus configuration as rendered into its ConfigMap, checked by the real {@code promtool check config}
 * together with the rule files it loads.
 *
 * <p>Debian's Prometheus packages are built without Kubernetes service discovery, so their promtool rejects
 * {@code kubernetes_sd_configs} as an unknown field. The check runs on the configuration as it is first; only when
 * promtool answers with exactly that error does it run again with each {@code kubernetes_sd_configs} replaced by an
 * empty {@code static_configs} (everything else, relabeling included, unchanged), and {@link #kubernetesDiscovery}
 * checks the discovery blocks themselves.
 */
class PrometheusConfigTest {

    private static final String NO_KUBERNETES_SD = "field kubernetes_sd_configs not found";
    private static final String SERVICE_ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount/";
    /** The kubelet jobs and the kubelet endpoint each scrapes. */
    private static final Map<String, String> KUBELET_JOBS = Map.of(
            "kubelet-cadvisor", "/metrics/cadvisor", "kubelet-resource", "/metrics/resource", "kubelet", "/metrics");

    static Stream<Path> kustomizations() {
        return Stream.concat(Stream.of(ModuleFiles.BASE), ModuleFiles.overlays().stream());
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void promtoolAcceptsTheRenderedConfiguration(Path kustomization, @TempDir Path dir) throws IOException {
        Manifests manifests = Manifests.render(kustomization);
        String config = configData(manifests.generatedConfigMap("prometheus-config"), "prometheus.yml");
        Path rules = Files.createDirectories(dir.resolve("rules"));
        for (Path ruleFile : ModuleFiles.ruleFiles()) {
            Files.copy(ruleFile, rules.resolve(ruleFile.getFileName()));
        }
        // the rule files are where the ConfigMap is mounted in the pod; here they are in the temp dir
        Path configFile = dir.resolve("prometheus.yml");
        // and the ServiceAccount's token and CA, which promtool requires to exist, are placeholders there
        Path serviceAccount = Files.createDirectories(dir.resolve("serviceaccount"));
        Files.writeString(serviceAccount.resolve("token"), "placeholder");
        Files.writeString(serviceAccount.resolve("ca.crt"), "");
        Files.writeString(
                configFile,
                config.replace("/etc/prometheus/rules/", rules + "/").replace(SERVICE_ACCOUNT, serviceAccount + "/"));

        Tool.Result result = Tool.PROMTOOL.run(dir, "check", "config", configFile.toString());
        if (result.exitCode() != 0 && result.output().contains(NO_KUBERNETES_SD)) {
            System.out.println("promtool here has no Kubernetes service discovery (" + NO_KUBERNETES_SD
                    + "); checking again with static_configs in its place");
            Files.writeString(
                    configFile, Yaml.dump(withoutKubernetesDiscovery(Yaml.load(Files.readString(configFile)))));
            result = Tool.PROMTOOL.run(dir, "check", "config", configFile.toString());
        }
        String output = result.assertSuccess();
        assertThat(output).contains("SUCCESS");
        assertThat(output)
                .as("promtool also checked every rule file")
                .contains(ModuleFiles.ruleFiles().size() + " rule files found");
    }

    @Test
    void kubernetesDiscovery() {
        Map<String, Object> config = baseConfig();

        List<Map<String, Object>> jobs = Yaml.maps(config, "scrape_configs");
        assertThat(jobs)
                .extracting(j -> Yaml.text(j, "job_name"))
                .containsExactly(
                        "kubernetes-pods",
                        "log-sidecars",
                        "sightline-event-collector",
                        "kube-state-metrics",
                        "kubelet-cadvisor",
                        "kubelet-resource",
                        "kubelet");
        for (Map<String, Object> job : jobs.subList(0, 3)) {
            assertThat(Yaml.maps(job, "kubernetes_sd_configs"))
                    .as("%s discovers pods", job.get("job_name"))
                    .singleElement()
                    .satisfies(sd -> assertThat(sd.get("role")).isEqualTo("pod"));
            assertThat(targetLabels(job))
                    .as("contract target labels of %s", job.get("job_name"))
                    .contains("namespace", "pod", "container", "node", "job", "__address__");
        }
        Map<String, Object> collector = jobs.get(2);
        assertThat(Yaml.isTrue(collector, "honor_labels"))
                .as("events keep their own namespace label")
                .isTrue();
        assertThat(Yaml.map(collector, "kubernetes_sd_configs", "0", "namespaces"))
                .as("the collector of Prometheus' own namespace, whatever it is called")
                .isEqualTo(Map.of("own_namespace", true));
        assertThat(Yaml.isTrue(jobs.get(0), "honor_labels")).isFalse();
        assertThat(Yaml.isTrue(jobs.get(1), "honor_labels")).isFalse();
    }

    /**
     * kube-state-metrics' series name the objects they describe in {@code namespace}, {@code pod}, {@code container}
     * and {@code node}: its job keeps them and sets none of the four itself, or the collector's own pod and node would
     * land on every series that lacks one.
     */
    @Test
    void kubeStateMetricsSeriesKeepTheirObjectsLabels() {
        Map<String, Object> job = job(baseConfig(), "kube-state-metrics");

        assertThat(Yaml.isTrue(job, "honor_labels")).isTrue();
        assertThat(Yaml.maps(job, "kubernetes_sd_configs")).singleElement().satisfies(sd -> {
            assertThat(sd.get("role")).isEqualTo("pod");
            assertThat(Yaml.isTrue(Yaml.map(sd, "namespaces"), "own_namespace")).isTrue();
        });
        assertThat(targetLabels(job))
                .contains("job", "__address__")
                .doesNotContain("namespace", "pod", "container", "node");
    }

    /**
     * Every kubelet job finds the nodes, speaks HTTPS, authenticates with the ServiceAccount token and verifies the
     * kubelet against the cluster CA (no insecure_skip_verify in the base), and labels its targets with {@code node}
     * only (the series bring their own namespace, pod and container).
     */
    @Test
    void kubeletJobsUseTheServiceAccountOverVerifiedHttps() {
        Map<String, Object> config = baseConfig();

        for (String name : KUBELET_JOBS.keySet()) {
            Map<String, Object> job = job(config, name);
            assertThat(Yaml.text(job, "kubernetes_sd_configs", "0", "role")).isEqualTo("node");
            assertThat(Yaml.text(job, "scheme")).isEqualTo("https");
            assertThat(Yaml.text(job, "metrics_path")).isEqualTo(KUBELET_JOBS.get(name));
            assertThat(Yaml.text(job, "authorization", "credentials_file")).isEqualTo(SERVICE_ACCOUNT + "token");
            assertThat(Yaml.map(job, "tls_config"))
                    .as("%s verifies the kubelet's certificate", name)
                    .containsExactly(Map.entry("ca_file", SERVICE_ACCOUNT + "ca.crt"));
            assertThat(targetLabels(job)).containsExactly("node");
            assertThat(Yaml.isTrue(job, "honor_labels")).isFalse();
        }
        assertThat(job(config, "kubelet-cadvisor").get("honor_timestamps"))
                .as("cAdvisor's own timestamps would keep a deleted container's series from going stale")
                .isEqualTo(false);
    }

    /** The proxy overlay changes the kubelet jobs' address and path, nothing else, and only there. */
    @Test
    void kubeletViaApiserverOverlayOnlyRoutesTheKubeletJobsThroughTheProxy() {
        Map<String, Object> overlay = Yaml.load(configData(
                Manifests.render(ModuleFiles.OVERLAYS.resolve("kubelet-via-apiserver"))
                        .generatedConfigMap("prometheus-config"),
                "prometheus.yml"));
        Map<String, Object> base = baseConfig();

        List<Object> rest = new ArrayList<>();
        for (Map<String, Object> job : Yaml.maps(overlay, "scrape_configs")) {
            String name = Yaml.text(job, "job_name");
            Map<String, Object> copy = new LinkedHashMap<>(job);
            if (KUBELET_JOBS.containsKey(name)) {
                List<Map<String, Object>> relabels = new ArrayList<>(Yaml.maps(job, "relabel_configs"));
                assertThat(relabels.subList(relabels.size() - 2, relabels.size()))
                        .as("%s: through the API server's node proxy", name)
                        .containsExactly(
                                Map.of("target_label", "__address__", "replacement", "kubernetes.default.svc:443"),
                                Map.of(
                                        "source_labels",
                                        List.of("__meta_kubernetes_node_name"),
                                        "regex",
                                        "(.+)",
                                        "target_label",
                                        "__metrics_path__",
                                        "replacement",
                                        "/api/v1/nodes/$1/proxy" + KUBELET_JOBS.get(name)));
                copy.put("relabel_configs", relabels.subList(0, relabels.size() - 2));
            }
            rest.add(copy);
        }
        Map<String, Object> withoutProxy = new LinkedHashMap<>(overlay);
        withoutProxy.put("scrape_configs", rest);
        assertThat(withoutProxy)
                .as("overlays/kubelet-via-apiserver/prometheus.yml is the base's but for the kubelet address and path")
                .isEqualTo(base);
    }

    @Test
    void annotationJobHonoursThePrometheusIoAnnotations() {
        Map<String, Object> pods = Yaml.maps(baseConfig(), "scrape_configs").get(0);

        String relabeling = Yaml.dump(Yaml.list(pods, "relabel_configs"));
        assertThat(relabeling)
                .contains(
                        "__meta_kubernetes_pod_annotation_prometheus_io_scrape",
                        "__meta_kubernetes_pod_annotation_prometheus_io_port",
                        "__meta_kubernetes_pod_annotation_prometheus_io_path");
    }

    @Test
    void rulesAndConfigAreReadFromWhereTheyAreMounted() {
        Manifests base = Manifests.render(ModuleFiles.BASE);
        Map<String, Object> container = Yaml.maps(
                        podTemplate(base.get("StatefulSet", "prometheus")), "spec", "containers")
                .get(0);
        Map<String, String> mounts = new LinkedHashMap<>();
        Yaml.maps(container, "volumeMounts").forEach(m -> mounts.put(Yaml.text(m, "name"), Yaml.text(m, "mountPath")));

        assertThat(Yaml.list(baseConfig(), "rule_files")).containsExactly(mounts.get("rules") + "/*.yaml");
        assertThat(Yaml.list(container, "args")).contains("--config.file=" + mounts.get("config") + "/prometheus.yml");
    }

    @Test
    void retentionSizeStaysBelowTheVolume() {
        Map<String, Object> statefulSet = Manifests.render(ModuleFiles.BASE).get("StatefulSet", "prometheus");
        List<Object> args = Yaml.list(statefulSet, "spec", "template", "spec", "containers", "0", "args");
        String size = args.stream()
                .map(String::valueOf)
                .filter(a -> a.startsWith("--storage.tsdb.retention.size="))
                .map(a -> a.substring(a.indexOf('=') + 1))
                .findFirst()
                .orElseThrow();
        String volume =
                Yaml.text(statefulSet, "spec", "volumeClaimTemplates", "0", "spec", "resources", "requests", "storage");

        assertThat(args).anySatisfy(a -> assertThat(String.valueOf(a)).startsWith("--storage.tsdb.retention.time="));
        assertThat(Quantities.prometheusBytes(size)).isLessThan(Quantities.kubernetesBytes(volume) * 9 / 10);
    }

    @Test
    void remoteWriteOverlayOnlyAddsRemoteWrite() {
        Map<String, Object> overlay = Yaml.load(configData(
                Manifests.render(ModuleFiles.OVERLAYS.resolve("remote-write")).generatedConfigMap("prometheus-config"),
                "prometheus.yml"));

        assertThat(Yaml.maps(overlay, "remote_write")).singleElement().satisfies(rw -> assertThat(
                        Yaml.text(rw, "basic_auth", "password_file"))
                .startsWith("/etc/prometheus/remote-write/"));
        Map<String, Object> rest = new LinkedHashMap<>(overlay);
        rest.remove("remote_write");
        assertThat(rest)
                .as("overlays/remote-write/prometheus.yml is the base's plus remote_write")
                .isEqualTo(baseConfig());
    }

    private static Map<String, Object> baseConfig() {
        return Yaml.load(configData(
                Manifests.render(ModuleFiles.BASE).generatedConfigMap("prometheus-config"), "prometheus.yml"));
    }

    private static Map<String, Object> job(Map<String, Object> config, String name) {
        return Yaml.maps(config, "scrape_configs").stream()
                .filter(j -> name.equals(Yaml.text(j, "job_name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no scrape job " + name));
    }

    private static List<String> targetLabels(Map<String, Object> job) {
        List<String> labels = new ArrayList<>();
        for (Map<String, Object> relabel : Yaml.maps(job, "relabel_configs")) {
            String action = Yaml.text(relabel, "action");
            if ((action == null || action.equals("replace")) && relabel.get("target_label") != null) {
                labels.add(Yaml.text(relabel, "target_label"));
            }
        }
        return labels;
    }

    private static Map<String, Object> withoutKubernetesDiscovery(Map<String, Object> config) {
        Map<String, Object> copy = new LinkedHashMap<>(config);
        List<Object> jobs = new ArrayList<>();
        for (Map<String, Object> job : Yaml.maps(config, "scrape_configs")) {
            Map<String, Object> replaced = new LinkedHashMap<>(job);
            assertThat(replaced.remove("kubernetes_sd_configs"))
                    .as("job %s", job.get("job_name"))
                    .isNotNull();
            replaced.put("static_configs", List.of());
            jobs.add(replaced);
        }
        copy.put("scrape_configs", jobs);
        return copy;
    }
}
