package io.sightline.local.monitoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Copies the alert rule files of {@code k8s-monitoring/rules/} for the local Prometheus. Expressions, labels and
 * annotations stay exactly as written; only the waiting times ({@code for:} and a group's {@code interval:}) are
 * capped, so an alert that would fire after minutes in a cluster fires within a run of a minute or two. A
 * {@code PrometheusRule} custom resource is unwrapped to its {@code spec}; other Kubernetes objects in the
 * directory (its {@code kustomization.yaml}) are not rule files and are left out.
 */
public final class RuleFiles {

    /** What was copied, for the start-up summary. */
    public record CopyResult(List<Path> files, List<Path> skipped, int alertRules, int shortenedWaits) {}

    private RuleFiles() {}

    /**
     * @param maxWait cap for {@code for:} and group {@code interval:}; null copies the files unchanged
     * @throws IllegalArgumentException when a file is not a Prometheus rule file (the message names it)
     */
    public static CopyResult copy(Path sourceDir, Path targetDir, Duration maxWait) throws IOException {
        Files.createDirectories(targetDir);
        List<Path> sources;
        try (Stream<Path> listing = Files.list(sourceDir)) {
            sources = listing.filter(
                            p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        }
        List<Path> written = new ArrayList<>();
        List<Path> skipped = new ArrayList<>();
        int alertRules = 0;
        int shortened = 0;
        for (Path source : sources) {
            Map<String, Object> ruleFile = ruleFile(source);
            if (ruleFile == null) {
                skipped.add(source);
                continue;
            }
            for (Map<String, Object> group : list(ruleFile.get("groups"), source)) {
                if (maxWait != null && capWait(group, "interval", maxWait)) {
                    shortened++;
                }
                for (Map<String, Object> rule : list(group.get("rules"), source)) {
                    if (rule.containsKey("alert")) {
                        alertRules++;
                        if (maxWait != null && capWait(rule, "for", maxWait)) {
                            shortened++;
                        }
                    }
                }
            }
            Path target = targetDir.resolve(source.getFileName().toString().replaceFirst("\\.yml$", ".yaml"));
            Files.writeString(target, Yaml.dump(ruleFile));
            written.add(target);
        }
        return new CopyResult(written, skipped, alertRules, shortened);
    }

    /** The rule file's root mapping, or null for another Kubernetes object (has a {@code kind}, no groups). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> ruleFile(Path source) throws IOException {
        List<Object> documents = Yaml.loadAll(Files.readString(source));
        if (documents.size() != 1 || !(documents.get(0) instanceof Map<?, ?> document)) {
            throw new IllegalArgumentException(
                    source + ": expected one YAML document with 'groups:' (a Prometheus rule file)");
        }
        Map<String, Object> root = (Map<String, Object>) document;
        if ("PrometheusRule".equals(root.get("kind")) && root.get("spec") instanceof Map<?, ?> spec) {
            root = (Map<String, Object>) spec;
        } else if (root.containsKey("kind") && !root.containsKey("groups")) {
            return null;
        }
        if (!(root.get("groups") instanceof List<?>)) {
            throw new IllegalArgumentException(source + ": no 'groups:' list, so this is not a Prometheus rule file");
        }
        return root;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value, Path source) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> items) || items.stream().anyMatch(item -> !(item instanceof Map<?, ?>))) {
            throw new IllegalArgumentException(source + ": 'groups' and 'rules' must be lists of mappings");
        }
        return (List<Map<String, Object>>) value;
    }

    private static boolean capWait(Map<String, Object> owner, String key, Duration maxWait) {
        Object value = owner.get(key);
        if (value == null || PromDuration.parse(value.toString()).compareTo(maxWait) <= 0) {
            return false;
        }
        owner.put(key, PromDuration.format(maxWait));
        return true;
    }
}
