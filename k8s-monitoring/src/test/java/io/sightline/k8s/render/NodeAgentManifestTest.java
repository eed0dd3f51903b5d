package io.sightline.k8s.render;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;

import static io.sightline.k8s.support.Manifests.allContainers;
import static io.sightline.k8s.support.Manifests.id;
import static io.sightline.k8s.support.Manifests.namespace;
import static io.sightline.k8s.support.Manifests.podTemplate;
import static org.assertj.core.api.Assertions.assertThat;

/** The node agent renders as issue 14 and docs/node-agent.md describe it: alone in its namespace, reading only. */
class NodeAgentManifestTest {

    private static final String NAMESPACE = "sightline-node-agent";

    private final Manifests agent = Manifests.render(ModuleFiles.NODE_AGENT);
    private final Map<String, Object> daemonSet = agent.get("DaemonSet", "sightline-node-agent");
    private final Map<String, Object> pod = Yaml.map(podTemplate(daemonSet), "spec");

    @Test
    void runsAloneInANamespaceThatAdmitsHostPathsAndStillWarnsAboutRestricted() {
        assertThat(agent.workloads()).extracting(Manifests::id).containsExactly("DaemonSet/sightline-node-agent");
        assertThat(agent.objects())
                .filteredOn(o -> namespace(o) != null)
                .allSatisfy(o -> assertThat(namespace(o)).as(id(o)).isEqualTo(NAMESPACE));
        assertThat(Yaml.map(agent.get("Namespace", NAMESPACE), "metadata", "labels"))
                .containsEntry("pod-security.kubernetes.io/enforce", "privileged")
                .containsEntry("pod-security.kubernetes.io/warn", "restricted")
                .containsEntry("pod-security.kubernetes.io/audit", "restricted");
    }

    @Test
    void readsThePodLogsReadOnlyAndKeepsItsCheckpointOnTheNodeElsewhere() {
        Map<String, Object> container = allContainers(podTemplate(daemonSet)).get(0);
        Map<String, String> settings = settings();

        assertThat(Yaml.maps(pod, "volumes"))
                .filteredOn(v -> !Yaml.map(v, "hostPath").isEmpty())
                .extracting(v -> Yaml.text(v, "hostPath", "path"))
                .containsExactlyInAnyOrder("/var/log/pods", "/var/lib/sightline/node-agent");
        assertThat(Yaml.maps(container, "volumeMounts"))
                .anySatisfy(m -> assertThat(m)
                        .containsEntry("mountPath", settings.get("SIGHTLINE_NODE_PODS_DIR"))
                        .containsEntry("readOnly", true))
                .anySatisfy(m -> assertThat(m).containsEntry("mountPath", settings.get("SIGHTLINE_CHECKPOINT_DIR")));
        assertThat(settings.get("SIGHTLINE_CHECKPOINT_DIR")).doesNotStartWith(settings.get("SIGHTLINE_NODE_PODS_DIR"));
        assertThat(settings).containsEntry("SIGHTLINE_MODE", "node").containsEntry("SIGHTLINE_NODE_READ_FROM", "end");
        assertThat(Yaml.map(container, "securityContext"))
                .containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false)
                .containsEntry("privileged", false);
        assertThat(Yaml.list(container, "securityContext", "capabilities", "drop"))
                .containsExactly("ALL");
    }

    @Test
    void runsOnEveryNodeBeforeOrdinaryWorkloads() {
        assertThat(Yaml.maps(pod, "tolerations")).containsExactly(Map.of("operator", "Exists"));
        assertThat(Yaml.text(pod, "priorityClassName")).isEqualTo("sightline-node-agent");
        assertThat(Integer.parseInt(Yaml.text(agent.get("PriorityClass", "sightline-node-agent"), "value")))
                .isPositive()
                .isLessThan(1_000_000_000); // the system-* classes stay above it
    }

    @Test
    void mayOnlyReadPods() {
        assertThat(Yaml.maps(agent.get("ClusterRole", "sightline-node-agent"), "rules"))
                .containsExactly(Map.of(
                        "apiGroups",
                        List.of(""),
                        "resources",
                        List.of("pods"),
                        "verbs",
                        List.of("get", "list", "watch")));
        assertThat(Yaml.maps(agent.get("ClusterRoleBinding", "sightline-node-agent"), "subjects"))
                .containsExactly(
                        Map.of("kind", "ServiceAccount", "name", "sightline-node-agent", "namespace", NAMESPACE));
    }

    /** Loki admits it, Prometheus's log-sidecars job scrapes it, and its Loki URL names the stack's Loki Service. */
    @Test
    void shipsToTheStacksLokiAndIsScrapedLikeTheSidecars() {
        Manifests base = Manifests.render(ModuleFiles.BASE);
        URI loki = URI.create(settings().get("LOKI_URL"));

        assertThat(loki.getHost()).isEqualTo("loki." + NamespaceTest.DEFAULT + ".svc");
        assertThat(base.find("Service", "loki")).isPresent();
        assertThat(Yaml.map(podTemplate(daemonSet), "metadata", "labels"))
                .containsEntry("sightline.io/log-sidecar", "true");
        assertThat(Yaml.maps(allContainers(podTemplate(daemonSet)).get(0), "ports"))
                .extracting(p -> Yaml.text(p, "name"))
                .containsExactly("sidecar-metrics");
        assertThat(Manifests.configData(base.generatedConfigMap("prometheus-config"), "prometheus.yml"))
                .contains("job_name: log-sidecars")
                .contains("regex: sidecar-metrics");
    }

    private Map<String, String> settings() {
        Map<String, String> settings = new TreeMap<>();
        Yaml.map(agent.get("ConfigMap", "sightline-node-agent"), "data")
                .forEach((name, value) -> settings.put(name, String.valueOf(value)));
        return settings;
    }
}
