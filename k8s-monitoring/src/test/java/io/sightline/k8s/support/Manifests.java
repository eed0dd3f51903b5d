package io.sightline.k8s.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.sightline.testsupport.tool.Tool;
import io.sightline.testsupport.yaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/** The objects a kustomization renders to ({@code kubectl kustomize}), with lookups the tests share. */
public record Manifests(Path kustomization, List<Map<String, Object>> objects) {

    public static final Set<String> WORKLOAD_KINDS =
            Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet", "Pod");

    private static final Map<Path, Manifests> RENDERED = new ConcurrentHashMap<>();

    /** Renders the kustomization in {@code dir} with the real kubectl (once per directory and test run). */
    public static Manifests render(Path dir) {
        Path normalized = dir.toAbsolutePath().normalize();
        Manifests cached = RENDERED.get(normalized);
        if (cached != null) {
            return cached;
        }
        String output = Tool.KUBECTL.run(normalized, "kustomize", ".").assertSuccess();
        Manifests rendered = new Manifests(normalized, Yaml.loadAll(output));
        assertThat(rendered.objects())
                .as("objects rendered from %s", normalized)
                .isNotEmpty();
        RENDERED.put(normalized, rendered);
        return rendered;
    }

    public List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(kind(o))).toList();
    }

    public Optional<Map<String, Object>> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(name(o))).findFirst();
    }

    public Map<String, Object> get(String kind, String name) {
        return find(kind, name)
                .orElseThrow(
                        () -> new AssertionError("no " + kind + " named " + name + " rendered from " + kustomization));
    }

    /** A generated ConfigMap, found by the name before kustomize's hash suffix. */
    public Map<String, Object> generatedConfigMap(String baseName) {
        return ofKind("ConfigMap").stream()
                .filter(o -> name(o).equals(baseName) || name(o).matches(Pattern.quote(baseName) + "-[a-z0-9]{10}"))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no ConfigMap generated as " + baseName + " in " + kustomization));
    }

    public List<Map<String, Object>> workloads() {
        return objects.stream().filter(o -> WORKLOAD_KINDS.contains(kind(o))).toList();
    }

    public static String kind(Map<String, Object> object) {
        return Yaml.text(object, "kind");
    }

    public static String name(Map<String, Object> object) {
        return Yaml.text(object, "metadata", "name");
    }

    public static String namespace(Map<String, Object> object) {
        return Yaml.text(object, "metadata", "namespace");
    }

    /** "Kind/name" for messages. */
    public static String id(Map<String, Object> object) {
        return kind(object) + "/" + name(object);
    }

    /** The pod template metadata+spec of a workload (a CronJob's is two levels deeper). */
    public static Map<String, Object> podTemplate(Map<String, Object> workload) {
        return switch (kind(workload)) {
            case "Pod" -> workload;
            case "CronJob" -> Yaml.map(workload, "spec", "jobTemplate", "spec", "template");
            default -> Yaml.map(workload, "spec", "template");
        };
    }

    /** Regular containers and init containers (native sidecars are init containers). */
    public static List<Map<String, Object>> allContainers(Map<String, Object> podTemplate) {
        List<Map<String, Object>> all = new ArrayList<>(Yaml.maps(podTemplate, "spec", "containers"));
        all.addAll(Yaml.maps(podTemplate, "spec", "initContainers"));
        return all;
    }

    /** The data file {@code key} of a ConfigMap. */
    public static String configData(Map<String, Object> configMap, String key) {
        String value = Yaml.text(configMap, "data", key);
        assertThat(value).as("data key %s of %s", key, id(configMap)).isNotNull();
        return value;
    }
}
