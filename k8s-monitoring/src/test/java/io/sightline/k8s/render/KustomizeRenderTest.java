package io.sightline.k8s.render;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.sightline.k8s.support.Manifests.allContainers;
import static io.sightline.k8s.support.Manifests.name;
import static io.sightline.k8s.support.Manifests.namespace;
import static io.sightline.k8s.support.Manifests.podTemplate;
import static org.assertj.core.api.Assertions.assertThat;

/** The kustomizations render with the real {@code kubectl kustomize}, and render what users are told they get. */
class KustomizeRenderTest {

    static Stream<Path> overlays() {
        return ModuleFiles.overlays().stream();
    }

    @Test
    void rootKustomizationDeploysTheBase() {
        Manifests root = Manifests.render(ModuleFiles.MODULE);
        Manifests base = Manifests.render(ModuleFiles.BASE);

        assertThat(root.objects()).isEqualTo(base.objects());
    }

    @Test
    void baseRendersTheWholeMonitoringNamespace() {
        Manifests base = Manifests.render(ModuleFiles.BASE);

        Map<String, Object> namespace = base.get("Namespace", "monitoring");
        assertThat(Yaml.map(namespace, "metadata", "labels"))
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted")
                .containsEntry("pod-security.kubernetes.io/audit", "restricted")
                .containsEntry("pod-security.kubernetes.io/warn", "restricted");
        assertThat(base.ofKind("StatefulSet"))
                .extracting(Manifests::name)
                .containsExactlyInAnyOrder("prometheus", "alertmanager", "loki");
        assertThat(base.ofKind("Deployment"))
                .extracting(Manifests::name)
                .containsExactlyInAnyOrder("grafana", "sightline-event-collector");
        assertThat(base.objects().stream().filter(o -> !List.of("Namespace", "ClusterRole", "ClusterRoleBinding")
                        .contains(Manifests.kind(o))))
                .allSatisfy(o -> assertThat(namespace(o)).as(Manifests.id(o)).isEqualTo("monitoring"));
    }

    @Test
    void componentAddsTheSidecarToLabelledDeploymentsOnly() {
        Manifests app = Manifests.render(ModuleFiles.SIDECAR_FIXTURE);

        Map<String, Object> template = podTemplate(app.get("Deployment", "orders"));
        Map<String, Object> sidecar =
                Yaml.maps(template, "spec", "initContainers").get(0);
        assertThat(Yaml.text(sidecar, "name")).isEqualTo("log-sidecar");
        assertThat(Yaml.text(sidecar, "image")).isEqualTo("ghcr.io/sightline/log-sidecar:0.1.0");
        assertThat(Yaml.text(sidecar, "restartPolicy")).as("native sidecar").isEqualTo("Always");
        assertThat(Yaml.maps(sidecar, "ports")).singleElement().satisfies(p -> assertThat(p)
                .containsEntry("name", "sidecar-metrics")
                .containsEntry("containerPort", 9095));
        assertThat(envFieldRefs(sidecar))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "POD_NAMESPACE", "metadata.namespace",
                        "POD_NAME", "metadata.name",
                        "NODE_NAME", "spec.nodeName",
                        "CONTAINER_NAME", "metadata.annotations['sightline.io/app-container']"));
        assertThat(Yaml.text(sidecar, "envFrom", "0", "configMapRef", "name")).isEqualTo("sightline-log-sidecar");
        assertThat(mountPath(sidecar, "sightline-logs")).isEqualTo("/var/log/app");
        assertThat(Yaml.text(sidecar, "readinessProbe", "httpGet", "path"))
                .as("a sink outage must not make the application's pods unready")
                .isEqualTo("/healthz");

        Map<String, Object> appContainer =
                Yaml.maps(template, "spec", "containers").get(0);
        assertThat(Yaml.text(appContainer, "name")).isEqualTo("orders");
        assertThat(mountPath(appContainer, "sightline-logs"))
                .as("the app writes into the shared volume")
                .isEqualTo("/var/log/app");
        assertThat(Yaml.maps(template, "spec", "volumes"))
                .anySatisfy(v ->
                        assertThat(v).containsEntry("name", "sightline-logs").containsKey("emptyDir"));
        assertThat(Yaml.map(template, "metadata", "annotations"))
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", "8081")
                .containsEntry("prometheus.io/path", "/actuator/prometheus")
                .containsEntry("sightline.io/app-container", "orders");
        assertThat(Yaml.map(template, "metadata", "labels")).containsEntry("sightline.io/log-sidecar", "true");

        Map<String, Object> settings = app.get("ConfigMap", "sightline-log-sidecar");
        assertThat(namespace(settings)).isEqualTo("shop");
        assertThat(Yaml.map(settings, "data"))
                .containsEntry("SIGHTLINE_SINK", "loki")
                .containsEntry("LOKI_URL", "http://loki.monitoring.svc:3100");

        Map<String, Object> untouched = podTemplate(app.get("Deployment", "batch"));
        assertThat(Yaml.list(untouched, "spec", "initContainers")).isEmpty();
        assertThat(Yaml.map(untouched, "metadata", "annotations")).isEmpty();
        assertThat(Yaml.maps(untouched, "spec", "containers", "0", "volumeMounts"))
                .extracting(m -> m.get("name"))
                .containsExactly("work");
    }

    @Test
    void eventCollectorRunsTwoReplicasWithItsSidecarAndBudget() {
        Manifests base = Manifests.render(ModuleFiles.BASE);

        Map<String, Object> collector = base.get("Deployment", "sightline-event-collector");
        assertThat(Yaml.text(collector, "spec", "replicas")).isEqualTo("2");
        Map<String, Object> template = podTemplate(collector);
        assertThat(allContainers(template))
                .extracting(c -> Yaml.text(c, "name"))
                .containsExactlyInAnyOrder("event-collector", "log-sidecar");
        assertThat(mountPath(Yaml.maps(template, "spec", "containers").get(0), "sightline-logs"))
                .as("events.log is written into the shared volume")
                .isEqualTo("/var/log/app");
        assertThat(Yaml.map(template, "metadata", "annotations"))
                .containsEntry("sightline.io/app-container", "event-collector");

        Map<String, Object> budget = base.get("PodDisruptionBudget", "sightline-event-collector");
        assertThat(Yaml.text(budget, "spec", "minAvailable")).isEqualTo("1");
        assertThat(Yaml.map(budget, "spec", "selector", "matchLabels"))
                .isEqualTo(Yaml.map(collector, "spec", "selector", "matchLabels"));
    }

    /** The base deploys the collector's own RBAC (event-collector/k8s/), bound in the monitoring namespace. */
    @Test
    void eventCollectorHasExactlyTheRbacItDocuments() {
        Manifests base = Manifests.render(ModuleFiles.BASE);

        assertThat(Yaml.maps(base.get("ClusterRole", "sightline-event-collector"), "rules"))
                .as("nothing cluster-wide beyond reading events")
                .allSatisfy(rule -> assertThat(Yaml.list(rule, "resources")).containsExactly("events"))
                .allSatisfy(rule -> assertThat(Yaml.list(rule, "verbs")).containsExactly("get", "list", "watch"));
        assertThat(Yaml.maps(base.get("Role", "sightline-event-collector"), "rules"))
                .allSatisfy(rule -> {
                    if (!Yaml.list(rule, "verbs").equals(List.of("create"))) {
                        assertThat(Yaml.list(rule, "resourceNames"))
                                .as("get/update/patch limited by name")
                                .isNotEmpty();
                    }
                });
        for (String binding : List.of("RoleBinding", "ClusterRoleBinding")) {
            assertThat(Yaml.maps(base.get(binding, "sightline-event-collector"), "subjects"))
                    .singleElement()
                    .satisfies(s -> assertThat(s)
                            .containsEntry("name", "sightline-event-collector")
                            .containsEntry("namespace", "monitoring"));
        }
    }

    @Test
    void prometheusMayOnlyDiscoverPods() {
        Manifests base = Manifests.render(ModuleFiles.BASE);

        assertThat(Yaml.maps(base.get("ClusterRole", "sightline-prometheus-discovery"), "rules"))
                .containsExactly(Map.of(
                        "apiGroups",
                        List.of(""),
                        "resources",
                        List.of("pods"),
                        "verbs",
                        List.of("get", "list", "watch")));
        Map<String, Object> statefulSet = base.get("StatefulSet", "prometheus");
        assertThat(Yaml.maps(podTemplate(statefulSet), "spec", "volumes"))
                .anySatisfy(v -> assertThat(Yaml.text(v, "configMap", "name"))
                        .isEqualTo(name(base.generatedConfigMap("prometheus-rules"))));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyOverlayRenders(Path overlay) {
        Manifests rendered = Manifests.render(overlay);

        assertThat(rendered.find("Namespace", "monitoring"))
                .as("%s builds on the base", overlay)
                .isPresent();
    }

    static Map<String, String> envFieldRefs(Map<String, Object> container) {
        Map<String, String> refs = new TreeMap<>();
        for (Map<String, Object> env : Yaml.maps(container, "env")) {
            String fieldPath = Yaml.text(env, "valueFrom", "fieldRef", "fieldPath");
            if (fieldPath != null) {
                refs.put(Yaml.text(env, "name"), fieldPath);
            }
        }
        return refs;
    }

    static String mountPath(Map<String, Object> container, String volume) {
        return Yaml.maps(container, "volumeMounts").stream()
                .filter(m -> volume.equals(m.get("name")))
                .map(m -> Yaml.text(m, "mountPath"))
                .findFirst()
                .orElse(null);
    }
}
