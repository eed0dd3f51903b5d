package io.sightline.k8s.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;

import static io.sightline.k8s.support.Manifests.id;
import static io.sightline.k8s.support.Manifests.kind;
import static io.sightline.k8s.support.Manifests.namespace;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stack lives in a namespace of its own ({@code sightline}, not kube-prometheus' {@code monitoring}), written
 * once: {@code namespace:} of base/kustomization.yaml. A user's overlay that sets another {@code namespace:} must
 * move everything, so the renamed rendering may not spell the default anywhere: not in object namespaces, RBAC
 * subjects, service URLs, discovery settings, nor inside the configuration files the ConfigMaps carry.
 */
class NamespaceTest {

    static final String DEFAULT = "sightline";
    static final String RENAMED = "observability";

    /**
     * A namespace name standing alone or as a DNS label ({@code loki.sightline.svc}); not part of a longer name
     * ({@code sightline-event-collector}, {@code k8s-monitoring}), a path ({@code ghcr.io/sightline/...}) or the
     * {@code sightline.io/} label prefix.
     */
    private static final Pattern NAMESPACE_WORD =
            Pattern.compile("(?<![A-Za-z0-9_/-])(monitoring|sightline)(?![A-Za-z0-9_/-]|\\.io\\b)");

    /** Where "sightline" is the product's name, not a namespace: the part-of label, Grafana tags and folder provider. */
    private static final Pattern PRODUCT_NAME_PATH =
            Pattern.compile(".*/app\\.kubernetes\\.io/part-of|.*/tags/\\d+|.*dashboards\\.yaml:/providers/\\d+/name");

    @Test
    void baseRunsInTheSightlineNamespaceNamedOnce() {
        Map<String, Object> kustomization = Yaml.load(ModuleFiles.read(ModuleFiles.BASE.resolve("kustomization.yaml")));
        Manifests base = Manifests.render(ModuleFiles.BASE);

        assertThat(Yaml.text(kustomization, "namespace")).isEqualTo(DEFAULT);
        assertThat(base.ofKind("Namespace")).singleElement().satisfies(ns -> assertThat(Manifests.name(ns))
                .isEqualTo(DEFAULT));
        assertThat(leftovers(base, DEFAULT)).isEmpty();
    }

    @Test
    void anOverlayRenamesEverything() {
        Manifests renamed = Manifests.render(ModuleFiles.RENAMED_NAMESPACE_FIXTURE);

        assertThat(renamed.ofKind("Namespace")).singleElement().satisfies(ns -> assertThat(Manifests.name(ns))
                .isEqualTo(RENAMED));
        assertThat(renamed.objects().stream().filter(o -> !CLUSTER_SCOPED.contains(kind(o))))
                .allSatisfy(o -> assertThat(namespace(o)).as(id(o)).isEqualTo(RENAMED));
        assertThat(renamed.objects().stream()
                        .flatMap(o -> Yaml.maps(o, "subjects").stream())
                        .toList())
                .isNotEmpty()
                .allSatisfy(subject -> assertThat(subject).containsEntry("namespace", RENAMED));
        assertThat(leftovers(renamed, RENAMED)).isEmpty();
    }

    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding");

    /**
     * Every place a rendered object (or a YAML or JSON file inside a ConfigMap, comments left out) names a namespace
     * other than {@code expected}: "Kind/name: path = value".
     */
    static List<String> leftovers(Manifests manifests, String expected) {
        List<String> found = new ArrayList<>();
        for (Map<String, Object> object : manifests.objects()) {
            walk(id(object), "", object, expected, found);
            if ("ConfigMap".equals(kind(object))) {
                for (Map.Entry<String, Object> file : Yaml.map(object, "data").entrySet()) {
                    if (file.getKey().matches(".+\\.(ya?ml|json)")) {
                        walk(
                                id(object),
                                file.getKey() + ":",
                                Yaml.load(String.valueOf(file.getValue())),
                                expected,
                                found);
                    }
                }
            }
        }
        return found;
    }

    private static void walk(String who, String path, Object node, String expected, List<String> found) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                check(who, path + "/" + key + " (key)", key, expected, found);
                walk(who, path + "/" + key, entry.getValue(), expected, found);
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(who, path + "/" + i, list.get(i), expected, found);
            }
        } else if (node != null) {
            check(who, path, String.valueOf(node), expected, found);
        }
    }

    private static void check(String who, String path, String text, String expected, List<String> found) {
        // a ConfigMap's YAML or JSON file is checked parsed (without its comments), not as text
        if (path.matches(".*/data/[^/]+\\.(ya?ml|json)")
                || PRODUCT_NAME_PATH.matcher(path).matches()) {
            return;
        }
        Matcher m = NAMESPACE_WORD.matcher(text);
        while (m.find()) {
            if (!m.group(1).equals(expected)) {
                found.add(who + ": " + path + " = " + abbreviate(text, m.start()));
            }
        }
    }

    private static String abbreviate(String text, int at) {
        int from = Math.max(0, at - 40);
        int to = Math.min(text.length(), at + 40);
        return (from > 0 ? "…" : "") + text.substring(from, to).replace("\n", "⏎") + (to < text.length() ? "…" : "");
    }
}
