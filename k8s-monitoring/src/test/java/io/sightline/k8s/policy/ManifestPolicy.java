package io.sightline.k8s.policy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.sightline.k8s.support.Manifests;
import io.sightline.testsupport.yaml.Yaml;

import static io.sightline.k8s.support.Manifests.allContainers;
import static io.sightline.k8s.support.Manifests.id;
import static io.sightline.k8s.support.Manifests.kind;
import static io.sightline.k8s.support.Manifests.name;
import static io.sightline.k8s.support.Manifests.namespace;
import static io.sightline.k8s.support.Manifests.podTemplate;

/**
 * The security rules every rendered object must meet. {@link #check} lists every violation as
 * "Kind/name: what is wrong", so one test run shows all of them.
 */
public final class ManifestPolicy {

    /** The apiserver's and kubectl's limit on the last-applied annotation is 256 KiB; stay clear of it. */
    public static final int MAX_CONFIGMAP_BYTES = 250 * 1024;

    private static final Set<String> RBAC_ROLE_KINDS = Set.of("Role", "ClusterRole");
    private static final Set<String> RBAC_BINDING_KINDS = Set.of("RoleBinding", "ClusterRoleBinding");

    private ManifestPolicy() {}

    public static List<String> check(Manifests manifests) {
        List<String> violations = new ArrayList<>();
        Map<String, String> serviceAccountOwners = new HashMap<>();
        for (Map<String, Object> workload : manifests.workloads()) {
            checkPod(manifests, workload, violations, serviceAccountOwners);
        }
        for (Map<String, Object> object : manifests.objects()) {
            String kind = kind(object);
            if (RBAC_ROLE_KINDS.contains(kind)) {
                checkRbac(object, violations);
            } else if ("ConfigMap".equals(kind)) {
                checkConfigMapSize(object, violations);
            } else if ("Secret".equals(kind)) {
                checkSecret(object, violations);
            }
        }
        return violations;
    }

    private static void checkPod(
            Manifests manifests,
            Map<String, Object> workload,
            List<String> violations,
            Map<String, String> serviceAccountOwners) {
        String who = id(workload);
        Map<String, Object> template = podTemplate(workload);
        Map<String, Object> pod = Yaml.map(template, "spec");

        String serviceAccount = Yaml.text(pod, "serviceAccountName");
        if (serviceAccount == null || serviceAccount.equals("default")) {
            violations.add(who + ": runs as the namespace's default ServiceAccount; give it its own");
        } else {
            String key = namespace(workload) + "/" + serviceAccount;
            String previous = serviceAccountOwners.putIfAbsent(key, who);
            if (previous != null) {
                violations.add(who + ": shares ServiceAccount " + serviceAccount + " with " + previous);
            }
            if (manifests.ofKind("ServiceAccount").stream()
                    .noneMatch(sa ->
                            serviceAccount.equals(name(sa)) && Objects.equals(namespace(sa), namespace(workload)))) {
                violations.add(who + ": ServiceAccount " + serviceAccount + " is not part of the manifests");
            }
            String automount = Yaml.text(pod, "automountServiceAccountToken");
            boolean bound = isBound(manifests, serviceAccount, namespace(workload));
            if (automount == null) {
                violations.add(who + ": set automountServiceAccountToken explicitly (false unless it uses the API)");
            } else if (automount.equals("true") && !bound) {
                violations.add(who + ": mounts an API token although no (Cluster)RoleBinding grants its"
                        + " ServiceAccount anything; set automountServiceAccountToken: false");
            }
        }

        if (!hasSelectingNetworkPolicy(manifests, workload, Yaml.map(template, "metadata", "labels"))) {
            violations.add(who + ": no NetworkPolicy selects its pods by label (only the namespace-wide default)");
        }

        for (Map<String, Object> container : allContainers(template)) {
            checkContainer(who + " container " + Yaml.text(container, "name"), pod, container, violations);
        }
    }

    private static void checkContainer(
            String who, Map<String, Object> pod, Map<String, Object> container, List<String> violations) {
        Map<String, Object> security = Yaml.map(container, "securityContext");
        Map<String, Object> podSecurity = Yaml.map(pod, "securityContext");
        if (!Yaml.isTrue(security, "runAsNonRoot") && !Yaml.isTrue(podSecurity, "runAsNonRoot")) {
            violations.add(who + ": runAsNonRoot is not true");
        }
        if ("0".equals(Yaml.text(security, "runAsUser")) || "0".equals(Yaml.text(podSecurity, "runAsUser"))) {
            violations.add(who + ": runAsUser 0 (root)");
        }
        if (!Yaml.isTrue(security, "readOnlyRootFilesystem")) {
            violations.add(who + ": readOnlyRootFilesystem is not true (mount an emptyDir or a PVC where it writes)");
        }
        if (!"false".equals(Yaml.text(security, "allowPrivilegeEscalation"))) {
            violations.add(who + ": allowPrivilegeEscalation is not false");
        }
        if (Yaml.isTrue(security, "privileged")) {
            violations.add(who + ": privileged");
        }
        if (!Yaml.list(security, "capabilities", "drop").contains("ALL")) {
            violations.add(who + ": capabilities.drop does not contain ALL");
        }
        if (!Yaml.list(security, "capabilities", "add").isEmpty()) {
            violations.add(who + ": adds capabilities " + Yaml.list(security, "capabilities", "add"));
        }
        String seccomp = Yaml.text(security, "seccompProfile", "type");
        if (!"RuntimeDefault".equals(seccomp == null ? Yaml.text(podSecurity, "seccompProfile", "type") : seccomp)) {
            violations.add(who + ": seccompProfile is not RuntimeDefault");
        }

        for (String resource : List.of("cpu", "memory")) {
            if (Yaml.text(container, "resources", "requests", resource) == null) {
                violations.add(who + ": no " + resource + " request");
            }
        }
        if (Yaml.text(container, "resources", "limits", "memory") == null) {
            violations.add(who + ": no memory limit");
        }

        // a classic init container runs to completion and may not have probes; a native sidecar must
        boolean runsAlongside =
                !isInitContainer(pod, container) || "Always".equals(Yaml.text(container, "restartPolicy"));
        if (runsAlongside) {
            for (String probe : List.of("livenessProbe", "readinessProbe")) {
                if (Yaml.map(container, probe).isEmpty()) {
                    violations.add(who + ": no " + probe);
                }
            }
        }

        String image = Yaml.text(container, "image");
        String problem = imageProblem(image);
        if (problem != null) {
            violations.add(who + ": image " + image + " " + problem);
        }
    }

    /** Null when the image reference is pinned: a tag other than latest, or a digest. */
    static String imageProblem(String image) {
        if (image == null || image.isBlank()) {
            return "is missing";
        }
        if (image.contains("@sha256:")) {
            return null;
        }
        String lastSegment = image.substring(image.lastIndexOf('/') + 1);
        int colon = lastSegment.indexOf(':');
        if (colon < 0) {
            return "has no tag (that means latest); pin a version";
        }
        if (lastSegment.substring(colon + 1).equals("latest")) {
            return "uses the latest tag; pin a version";
        }
        return null;
    }

    private static boolean isInitContainer(Map<String, Object> pod, Map<String, Object> container) {
        return Yaml.maps(pod, "initContainers").contains(container);
    }

    private static boolean isBound(Manifests manifests, String serviceAccount, String namespace) {
        return manifests.objects().stream()
                .filter(o -> RBAC_BINDING_KINDS.contains(kind(o)))
                .flatMap(binding -> Yaml.maps(binding, "subjects").stream())
                .anyMatch(subject -> "ServiceAccount".equals(Yaml.text(subject, "kind"))
                        && serviceAccount.equals(Yaml.text(subject, "name"))
                        && Objects.equals(namespace, Yaml.text(subject, "namespace")));
    }

    /** A NetworkPolicy in the workload's namespace whose non-empty podSelector matches the pod labels. */
    private static boolean hasSelectingNetworkPolicy(
            Manifests manifests, Map<String, Object> workload, Map<String, Object> podLabels) {
        for (Map<String, Object> policy : manifests.ofKind("NetworkPolicy")) {
            if (!Objects.equals(namespace(policy), namespace(workload))) {
                continue;
            }
            Map<String, Object> selector = Yaml.map(policy, "spec", "podSelector");
            Map<String, Object> matchLabels = Yaml.map(selector, "matchLabels");
            if (!Yaml.list(selector, "matchExpressions").isEmpty()) {
                throw new IllegalStateException(
                        id(policy) + ": matchExpressions are not evaluated by this check;" + " use matchLabels");
            }
            if (!matchLabels.isEmpty()
                    && matchLabels.entrySet().stream()
                            .allMatch(e -> Objects.equals(
                                    String.valueOf(e.getValue()), String.valueOf(podLabels.get(e.getKey()))))) {
                return true;
            }
        }
        return false;
    }

    private static void checkRbac(Map<String, Object> role, List<String> violations) {
        for (Map<String, Object> rule : Yaml.maps(role, "rules")) {
            for (String field : List.of("verbs", "resources", "apiGroups", "nonResourceURLs")) {
                if (Yaml.list(rule, field).contains("*")) {
                    violations.add(id(role) + ": grants * in " + field + "; list what is needed");
                }
            }
        }
    }

    private static void checkConfigMapSize(Map<String, Object> configMap, List<String> violations) {
        long bytes = 0;
        for (String field : List.of("data", "binaryData")) {
            for (Map.Entry<String, Object> entry : Yaml.map(configMap, field).entrySet()) {
                bytes += entry.getKey().getBytes(StandardCharsets.UTF_8).length
                        + String.valueOf(entry.getValue()).getBytes(StandardCharsets.UTF_8).length;
            }
        }
        if (bytes > MAX_CONFIGMAP_BYTES) {
            violations.add(id(configMap) + ": " + bytes + " bytes, over " + MAX_CONFIGMAP_BYTES
                    + " (split it, or it cannot be applied client-side)");
        }
    }

    private static void checkSecret(Map<String, Object> secret, List<String> violations) {
        if (!Yaml.map(secret, "data").isEmpty()
                || !Yaml.map(secret, "stringData").isEmpty()) {
            violations.add(id(secret) + ": a Secret with values in the repository; users create Secrets themselves");
        }
    }
}
