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
import org.junit.jupiter.params.provider.ValueSource;

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
    void rootKustomizationDeploysTheBaseAndTheNodeAgent() {
        Manifests root = Manifests.render(ModuleFiles.MODULE);
        Manifests base = Manifests.render(ModuleFiles.BASE);
        Manifests nodeAgent = Manifests.render(ModuleFiles.NODE_AGENT);

        assertThat(root.objects())
                .containsExactlyInAnyOrderElementsOf(
                        Stream.concat(base.objects().stream(), nodeAgent.objects().stream())
                                .toList());
    }

    @Test
    void baseRendersTheWholeStackNamespace() {
        Manifests base = Manifests.render(ModuleFiles.BASE);

        Map<String, Object> namespace = base.get("Namespace", NamespaceTest.DEFAULT);
        assertThat(Yaml.map(namespace, "metadata", "labels"))
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted")
                .containsEntry("pod-security.kubernetes.io/audit", "restricted")
                .containsEntry("pod-security.kubernetes.io/warn", "restricted");
        assertThat(base.ofKind("StatefulSet"))
                .extracting(Manifests::name)
                .containsExactlyInAnyOrder("prometheus", "alertmanager", "loki", "tempo");
        assertThat(base.ofKind("Deployment"))
                .extracting(Manifests::name)
                .containsExactlyInAnyOrder("grafana", "sightline-event-collector", "kube-state-metrics");
        assertThat(base.objects().stream().filter(o -> !List.of("Namespace", "ClusterRole", "ClusterRoleBinding")
                        .contains(Manifests.kind(o))))
                .allSatisfy(o -> assertThat(namespace(o)).as(Manifests.id(o)).isEqualTo(NamespaceTest.DEFAULT));
    }

    /** Deployments, StatefulSets and DaemonSets with the label get the sidecar alike. */
    @ParameterizedTest
    @ValueSource(strings = {"Deployment/orders", "StatefulSet/ledger", "DaemonSet/node-probe"})
    void componentAddsTheSidecarToLabelledWorkloads(String workload) {
        Manifests app = Manifests.render(ModuleFiles.SIDECAR_FIXTURE);
        String appName = workload.substring(workload.indexOf('/') + 1);

        Map<String, Object> template = podTemplate(app.get(workload.substring(0, workload.indexOf('/')), appName));
        Map<String, Object> sidecar =
                Yaml.maps(template, "spec", "initContainers").get(0);
        assertThat(Yaml.text(sidecar, "name")).isEqualTo("log-sidecar");
        assertThat(Yaml.text(sidecar, "image"))
                .isEqualTo("ghcr.io/sightline/log-sidecar:" + ImagesTest.projectVersion());
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
        assertThat(Yaml.text(appContainer, "name")).isEqualTo(appName);
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
                .containsEntry("sightline.io/app-container", appName);
        assertThat(Yaml.map(template, "metadata", "labels")).containsEntry("sightline.io/log-sidecar", "true");
    }

    @Test
    void componentLeavesOtherWorkloadsAloneAndAddsItsSettings() {
        Manifests app = Manifests.render(ModuleFiles.SIDECAR_FIXTURE);

        Map<String, Object> settings = app.get("ConfigMap", "sightline-log-sidecar");
        assertThat(namespace(settings)).isEqualTo("shop");
        assertThat(Yaml.map(settings, "data"))
                .containsEntry("SIGHTLINE_SINK", "loki")
                .containsEntry("LOKI_URL", "http://loki.sightline.svc:3100");

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

    /** The base deploys the collector's own RBAC (event-collector/k8s/), bound in the stack's namespace. */
    @Test
    void eventCollectorHasExactlyTheRbacItDocuments() {
        Manifests base = Manifests.render(ModuleFiles.BASE);

        assertThat(Yaml.maps(base.get("ClusterRole", "sightline-event-collector"), "rules"))
                .as("nothing cluster-wide beyond reading events")
                .allSatisfy(rule -> assertThat(Yaml.list(rule, "resources")).containsExactly("events"))
                .allSatisfy(rule -> assertThat(Yaml.list(rule, "verbs")).containsExactly("list", "watch"));
        assertThat(Yaml.maps(base.get("Role", "sightline-event-collector"), "rules"))
                .as("only get/update, limited by name: the Lease and the checkpoint ConfigMap are shipped")
                .allSatisfy(rule -> {
                    assertThat(Yaml.list(rule, "verbs")).containsExactly("get", "update");
                    assertThat(Yaml.list(rule, "resourceNames")).isNotEmpty();
                });
        assertThat(base.get("Lease", "sightline-event-collector")).isNotNull();
        assertThat(base.get("ConfigMap", "sightline-event-collector-checkpoint"))
                .isNotNull();
        for (String binding : List.of("RoleBinding", "ClusterRoleBinding")) {
            assertThat(Yaml.maps(base.get(binding, "sightline-event-collector"), "subjects"))
                    .singleElement()
                    .satisfies(s -> assertThat(s)
                            .containsEntry("name", "sightline-event-collector")
                            .containsEntry("namespace", NamespaceTest.DEFAULT));
        }
    }

    @Test
    void prometheusMayOnlyDiscoverPodsAndNodesAndReadTheKubeletsMetrics() {
        Manifests base = Manifests.render(ModuleFiles.BASE);

        assertThat(Yaml.maps(base.get("ClusterRole", "sightline-prometheus-discovery"), "rules"))
                .containsExactly(Map.of(
                        "apiGroups",
                        List.of(""),
                        "resources",
                        List.of("pods"),
                        "verbs",
                        List.of("get", "list", "watch")));
        assertThat(Yaml.maps(base.get("ClusterRole", "sightline-prometheus-kubelet"), "rules"))
                .as("node discovery and the kubelet's metrics endpoints; no nodes/proxy in the base")
                .containsExactly(
                        Map.of(
                                "apiGroups",
                                List.of(""),
                                "resources",
                                List.of("nodes"),
                                "verbs",
                                List.of("list", "watch")),
                        Map.of(
                                "apiGroups",
                                List.of(""),
                                "resources",
                                List.of("nodes/metrics"),
                                "verbs",
                                List.of("get")));
        assertThat(base.ofKind("ClusterRole").stream().flatMap(role -> Yaml.maps(role, "rules").stream()))
                .noneSatisfy(rule -> assertThat(Yaml.list(rule, "resources")).contains("nodes/proxy"));
        assertThat(Yaml.maps(base.get("ClusterRoleBinding", "sightline-prometheus-kubelet"), "subjects"))
                .containsExactly(
                        Map.of("kind", "ServiceAccount", "name", "prometheus", "namespace", NamespaceTest.DEFAULT));
        Map<String, Object> statefulSet = base.get("StatefulSet", "prometheus");
        assertThat(Yaml.maps(podTemplate(statefulSet), "spec", "volumes"))
                .anySatisfy(v -> assertThat(Yaml.text(v, "configMap", "name"))
                        .isEqualTo(name(base.generatedConfigMap("prometheus-rules"))));
    }

    /**
     * Links in notifications (Prometheus' generatorURL, Alertmanager's pages) and Grafana's own links open where people
     * reach the UIs: one ConfigMap holds the three addresses, an overlay merges its own into it.
     */
    @Test
    void externalUrlsComeFromOneConfigMapThatAnOverlayChanges() {
        Manifests overlay = Manifests.render(ModuleFiles.RENAMED_NAMESPACE_FIXTURE);
        Map<String, Object> urls = overlay.generatedConfigMap("sightline-external-urls");

        assertThat(Yaml.map(urls, "data"))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "prometheus", "https://prometheus.example.com",
                        "alertmanager", "https://alertmanager.example.com",
                        "grafana", "https://grafana.example.com"));
        for (Map.Entry<String, String> workload : Map.of(
                        "StatefulSet/prometheus", "prometheus",
                        "StatefulSet/alertmanager", "alertmanager")
                .entrySet()) {
            String[] kindName = workload.getKey().split("/");
            Map<String, Object> container = Yaml.maps(
                            podTemplate(overlay.get(kindName[0], kindName[1])), "spec", "containers")
                    .get(0);
            assertThat(Yaml.list(container, "args"))
                    .as("%s serves its pages at / whatever the external URL's path", workload.getKey())
                    .contains("--web.external-url=$(EXTERNAL_URL)", "--web.route-prefix=/");
            assertThat(envFrom(container, "EXTERNAL_URL")).isEqualTo(name(urls) + "/" + workload.getValue());
        }
        Map<String, Object> grafana = Yaml.maps(podTemplate(overlay.get("Deployment", "grafana")), "spec", "containers")
                .get(0);
        assertThat(envFrom(grafana, "GF_SERVER_ROOT_URL")).isEqualTo(name(urls) + "/grafana");
    }

    /** "configMap/key" an environment variable of the container is read from. */
    private static String envFrom(Map<String, Object> container, String variable) {
        return Yaml.maps(container, "env").stream()
                .filter(e -> variable.equals(e.get("name")))
                .map(e -> Yaml.text(e, "valueFrom", "configMapKeyRef", "name") + "/"
                        + Yaml.text(e, "valueFrom", "configMapKeyRef", "key"))
                .findFirst()
                .orElse(null);
    }

    @Test
    void onlyTheKubeletProxyOverlayGrantsNodesProxy() {
        Manifests overlay = Manifests.render(ModuleFiles.OVERLAYS.resolve("kubelet-via-apiserver"));

        assertThat(Yaml.maps(overlay.get("ClusterRole", "sightline-prometheus-kubelet-proxy"), "rules"))
                .containsExactly(
                        Map.of("apiGroups", List.of(""), "resources", List.of("nodes/proxy"), "verbs", List.of("get")));
        assertThat(Yaml.maps(overlay.get("ClusterRoleBinding", "sightline-prometheus-kubelet-proxy"), "subjects"))
                .containsExactly(
                        Map.of("kind", "ServiceAccount", "name", "prometheus", "namespace", NamespaceTest.DEFAULT));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyOverlayRenders(Path overlay) {
        Manifests rendered = Manifests.render(overlay);

        assertThat(rendered.find("Namespace", NamespaceTest.DEFAULT))
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
