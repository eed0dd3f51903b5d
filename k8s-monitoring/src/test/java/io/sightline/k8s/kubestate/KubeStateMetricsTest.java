package io.sightline.k8s.kubestate;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.rules.Rule;
import io.sightline.testsupport.rules.RuleFiles;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;

import static io.sightline.k8s.support.Manifests.podTemplate;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * kube-state-metrics exposes exactly the families the rules and dashboards read ({@code --metric-allowlist}), reports
 * exactly the objects it may read ({@code --resources} against its ClusterRole), and is the official image.
 */
class KubeStateMetricsTest {

    /** Not sightline_kube_events_total (the event-collector's): no word boundary inside it. */
    private static final Pattern KUBE_FAMILY = Pattern.compile("\\bkube_[a-z_]+\\b");

    /** The object kind each family prefix reports on, as kube-state-metrics names its resources. */
    private static final Map<String, String> RESOURCE_OF_PREFIX = Map.of(
            "kube_pod_", "pods",
            "kube_deployment_", "deployments",
            "kube_statefulset_", "statefulsets",
            "kube_daemonset_", "daemonsets",
            "kube_persistentvolumeclaim_", "persistentvolumeclaims",
            "kube_node_", "nodes");

    private static final Manifests BASE = Manifests.render(ModuleFiles.BASE);

    @Test
    void allowListIsWhatTheRulesAndDashboardsRead() throws IOException {
        Set<String> read = new TreeSet<>();
        for (Rule rule : RuleFiles.rules(ModuleFiles.RULES)) {
            read.addAll(families(rule.expr()));
        }
        try (DirectoryStream<Path> dashboards =
                Files.newDirectoryStream(ModuleFiles.REPOSITORY.resolve("dashboards"), "*.json")) {
            for (Path dashboard : dashboards) {
                read.addAll(families(Files.readString(dashboard)));
            }
        }

        assertThat(read).as("kube-state-metrics families read").isNotEmpty();
        assertThat(new TreeSet<>(Arrays.asList(argument("--metric-allowlist").split(","))))
                .as("--metric-allowlist: what is read, nothing more (each family costs series per object)")
                .isEqualTo(read);
    }

    @Test
    void reportsExactlyTheObjectsItMayReadAndNoMore() {
        Set<String> resources =
                new TreeSet<>(Arrays.asList(argument("--resources").split(",")));
        Set<String> granted = new TreeSet<>();
        for (Map<String, Object> rule : Yaml.maps(BASE.get("ClusterRole", "sightline-kube-state-metrics"), "rules")) {
            assertThat(Yaml.list(rule, "verbs")).as("read only").containsExactly("list", "watch");
            Yaml.list(rule, "resources").forEach(r -> granted.add(String.valueOf(r)));
        }

        assertThat(granted).isEqualTo(resources);
        for (String family : argument("--metric-allowlist").split(",")) {
            String resource = RESOURCE_OF_PREFIX.entrySet().stream()
                    .filter(e -> family.startsWith(e.getKey()))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(family + ": which object does it report on?"));
            assertThat(resources)
                    .as("%s needs --resources to include %s", family, resource)
                    .contains(resource);
        }
    }

    @Test
    void runsTheOfficialImageWithItsPortsWhereTheScrapeJobsLook() {
        Map<String, Object> template = podTemplate(BASE.get("Deployment", "kube-state-metrics"));
        Map<String, Object> container =
                Yaml.maps(template, "spec", "containers").get(0);

        assertThat(Yaml.text(container, "image"))
                .startsWith("registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.");
        assertThat(Yaml.maps(container, "ports"))
                .containsExactly(
                        Map.of("name", "http-metrics", "containerPort", 8080),
                        Map.of("name", "telemetry", "containerPort", 8081));
        assertThat(Yaml.list(container, "args")).contains("--port=8080", "--telemetry-port=8081");
        assertThat(Yaml.map(template, "metadata", "annotations"))
                .as("its own health through the kubernetes-pods job, on the telemetry port")
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", "8081");
        assertThat(Yaml.text(BASE.get("Deployment", "kube-state-metrics"), "spec", "replicas"))
                .as("two replicas would report every series twice")
                .isEqualTo("1");
    }

    private static String argument(String name) {
        Map<String, Object> container = Yaml.maps(
                        podTemplate(BASE.get("Deployment", "kube-state-metrics")), "spec", "containers")
                .get(0);
        List<String> values = Yaml.list(container, "args").stream()
                .map(String::valueOf)
                .filter(a -> a.startsWith(name + "="))
                .map(a -> a.substring(name.length() + 1))
                .toList();
        assertThat(values).as("kube-state-metrics argument %s", name).hasSize(1);
        return values.get(0);
    }

    private static Set<String> families(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = KUBE_FAMILY.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}
