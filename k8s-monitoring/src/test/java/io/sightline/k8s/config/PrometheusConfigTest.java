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
        Files.writeString(configFile, config.replace("/etc/prometheus/rules/", rules + "/"));

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
                .containsExactly("kubernetes-pods", "log-sidecars", "sightline-event-collector");
        for (Map<String, Object> job : jobs) {
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
        assertThat(Yaml.list(collector, "kubernetes_sd_configs", "0", "namespaces", "names"))
                .containsExactly("monitoring");
        assertThat(Yaml.isTrue(jobs.get(0), "honor_labels")).isFalse();
        assertThat(Yaml.isTrue(jobs.get(1), "honor_labels")).isFalse();
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
