package io.sightline.k8s.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every rendered kustomization meets {@link ManifestPolicy}; and the policy does catch what it is for. */
class ManifestPolicyTest {

    /** What users apply, the user's overlay that renames the namespace and the one that adds GlitchTip to its Loki. */
    static Stream<Path> kustomizations() {
        return Stream.concat(
                ModuleFiles.kustomizations().stream(),
                Stream.of(ModuleFiles.RENAMED_NAMESPACE_FIXTURE, ModuleFiles.EXTERNAL_LOKI_WITH_GLITCHTIP_FIXTURE));
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void renderedObjectsMeetThePolicy(Path kustomization) {
        assertThat(ManifestPolicy.check(Manifests.render(kustomization))).isEmpty();
    }

    @Test
    void policyReportsEveryKindOfViolation() {
        String bad = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: careless, namespace: shop}
                spec:
                  template:
                    metadata: {labels: {app: careless}}
                    spec:
                      containers:
                        - name: app
                          image: nginx
                          securityContext: {runAsUser: 0}
                      initContainers:
                        - name: sidecar
                          image: busybox:latest
                          restartPolicy: Always
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: everything}
                rules:
                  - apiGroups: ["*"]
                    resources: ["*"]
                    verbs: ["*"]
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: leaked, namespace: shop}
                stringData: {password: hunter2}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: huge, namespace: shop}
                data:
                  dashboard.json: "%s"
                """.formatted("x".repeat(ManifestPolicy.MAX_CONFIGMAP_BYTES));

        List<String> violations = ManifestPolicy.check(new Manifests(Path.of("inline"), Yaml.loadAll(bad)));

        assertThat(violations)
                .contains(
                        "Deployment/careless: runs as the namespace's default ServiceAccount; give it its own",
                        "Deployment/careless: no NetworkPolicy selects its pods by label (only the namespace-wide default)",
                        "Deployment/careless container app: runAsNonRoot is not true",
                        "Deployment/careless container app: runAsUser 0 (root)",
                        "Deployment/careless container app: readOnlyRootFilesystem is not true (mount an emptyDir or a PVC where it writes)",
                        "Deployment/careless container app: allowPrivilegeEscalation is not false",
                        "Deployment/careless container app: capabilities.drop does not contain ALL",
                        "Deployment/careless container app: seccompProfile is not RuntimeDefault",
                        "Deployment/careless container app: no cpu request",
                        "Deployment/careless container app: no memory request",
                        "Deployment/careless container app: no memory limit",
                        "Deployment/careless container app: no livenessProbe",
                        "Deployment/careless container app: no readinessProbe",
                        "Deployment/careless container app: image nginx has no tag (that means latest); pin a version",
                        "Deployment/careless container sidecar: no readinessProbe",
                        "Deployment/careless container sidecar: image busybox:latest uses the latest tag; pin a version",
                        "ClusterRole/everything: grants * in verbs; list what is needed",
                        "ClusterRole/everything: grants * in resources; list what is needed",
                        "ClusterRole/everything: grants * in apiGroups; list what is needed",
                        "Secret/leaked: a Secret with values in the repository; users create Secrets themselves");
        assertThat(violations)
                .anySatisfy(v -> assertThat(v).startsWith("ConfigMap/huge: ").contains("over 256000"));
    }

    /** The node agent may read the node's logs as root; only it, only in its namespace, only its two host paths. */
    @Test
    void theNodeAgentIsTheOnlyExceptionAndOnlyForItsOwnPaths() {
        String manifests = """
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop, labels: {pod-security.kubernetes.io/enforce: baseline}}
                ---
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: sightline-node-agent
                  labels: {pod-security.kubernetes.io/enforce: privileged, pod-security.kubernetes.io/warn: restricted}
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: sightline-node-agent, namespace: sightline-node-agent}
                spec:
                  template:
                    spec:
                      hostNetwork: true
                      containers:
                        - name: agent
                          securityContext: {runAsUser: 0}
                          volumeMounts:
                            - {name: logs, mountPath: /var/log/pods}
                            - {name: checkpoint, mountPath: /var/lib/sightline/node-agent}
                      volumes:
                        - {name: logs, hostPath: {path: /var/log/pods}}
                        - {name: checkpoint, hostPath: {path: /var/lib/sightline/node-agent}}
                        - {name: root, hostPath: {path: /}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: neighbour, namespace: sightline-node-agent}
                spec:
                  template:
                    spec:
                      containers:
                        - {name: app, securityContext: {runAsNonRoot: true}}
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: sightline-node-agent, namespace: shop}
                spec:
                  template:
                    spec:
                      containers:
                        - {name: agent, securityContext: {runAsUser: 0}}
                      volumes:
                        - {name: logs, hostPath: {path: /var/log/pods}}
                """;

        List<String> violations = ManifestPolicy.check(new Manifests(Path.of("inline"), Yaml.loadAll(manifests)));

        assertThat(violations)
                .contains(
                        "Namespace/shop: pod-security.kubernetes.io/enforce is not restricted",
                        "Namespace/shop: pod-security.kubernetes.io/warn is not restricted",
                        "DaemonSet/sightline-node-agent: hostNetwork is true",
                        "DaemonSet/sightline-node-agent: hostPath volume root (/); Pod Security's baseline and"
                                + " restricted levels forbid host paths",
                        "DaemonSet/sightline-node-agent container agent: mounts host path /var/log/pods writable;"
                                + " mount it readOnly",
                        "Deployment/neighbour: only DaemonSet/sightline-node-agent runs in sightline-node-agent, the"
                                + " namespace that admits host paths",
                        "DaemonSet/sightline-node-agent: hostPath volume logs (/var/log/pods); Pod Security's"
                                + " baseline and restricted levels forbid host paths",
                        "DaemonSet/sightline-node-agent container agent: runAsUser 0 (root)")
                .doesNotContain(
                        "Namespace/sightline-node-agent: pod-security.kubernetes.io/enforce is not restricted",
                        "DaemonSet/sightline-node-agent: hostPath volume checkpoint (/var/lib/sightline/node-agent);"
                                + " Pod Security's baseline and restricted levels forbid host paths");
        assertThat(violations.stream().filter(v -> v.endsWith("runAsUser 0 (root)")))
                .as("root is allowed to the agent in its namespace, not to its namesake in shop")
                .hasSize(1);
    }

    @Test
    void serviceAccountsAreOwnAndTokensOnlyWhereTheApiIsUsed() {
        String bad = """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: shared, namespace: shop}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: one, namespace: shop}
                spec:
                  template:
                    spec: {serviceAccountName: shared, automountServiceAccountToken: true}
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: two, namespace: shop}
                spec:
                  template:
                    spec: {serviceAccountName: shared}
                """;

        List<String> violations = ManifestPolicy.check(new Manifests(Path.of("inline"), Yaml.loadAll(bad)));

        assertThat(violations)
                .contains(
                        "Deployment/one: mounts an API token although no (Cluster)RoleBinding grants its ServiceAccount"
                                + " anything; set automountServiceAccountToken: false",
                        "StatefulSet/two: shares ServiceAccount shared with Deployment/one",
                        "StatefulSet/two: set automountServiceAccountToken explicitly (false unless it uses the API)");
    }

    @Test
    void imagesArePinned() {
        assertThat(ManifestPolicy.imageProblem("quay.io/prometheus/prometheus:v2.53.4"))
                .isNull();
        assertThat(ManifestPolicy.imageProblem("registry:5000/team/app")).contains("no tag");
        assertThat(ManifestPolicy.imageProblem("registry:5000/team/app@sha256:0123"))
                .isNull();
    }

    /** No Secret values anywhere in the module's manifests (rendered or not) nor in secretGenerators. */
    @Test
    void repositoryHoldsNoSecretValues() throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> roots = List.of(
                ModuleFiles.BASE,
                ModuleFiles.OVERLAYS,
                ModuleFiles.RULES,
                ModuleFiles.SIDECAR_COMPONENT,
                ModuleFiles.SIDECAR_FIXTURE.getParent(),
                ModuleFiles.REPOSITORY.resolve("examples/demo-service/k8s"));
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f ->
                                f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                        .toList()) {
                    for (Map<String, Object> document : Yaml.loadAll(Files.readString(file))) {
                        if ("Secret".equals(Yaml.text(document, "kind"))
                                && (!Yaml.map(document, "data").isEmpty()
                                        || !Yaml.map(document, "stringData").isEmpty())) {
                            found.add(file + ": Secret " + Yaml.text(document, "metadata", "name") + " with values");
                        }
                        if (!Yaml.list(document, "secretGenerator").isEmpty()) {
                            found.add(file + ": secretGenerator (Secrets are created by users)");
                        }
                    }
                }
            }
        }
        assertThat(found).isEmpty();
    }
}
