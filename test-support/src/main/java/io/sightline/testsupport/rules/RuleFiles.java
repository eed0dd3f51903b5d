package io.sightline.testsupport.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.sightline.testsupport.prometheus.PromDuration;
import io.sightline.testsupport.yaml.Yaml;

/**
 * Prometheus rule files as Prometheus reads them: a directory's {@code *.yaml}/{@code *.yml} files, each one YAML
 * document with a {@code groups:} list of groups with {@code rules:}. A {@code PrometheusRule} custom resource is
 * unwrapped to its {@code spec}; other Kubernetes objects in the directory (its {@code kustomization.yaml}) are
 * not rule files and are left out.
 */
public final class RuleFiles {

    /** What {@link #copy} wrote, for the launcher's start-up summary. */
    public record CopyResult(List<Path> files, List<Path> skipped, int alertRules, int shortenedWaits) {}

    private RuleFiles() {}

    /** Every rule of every rule file in {@code directory}, in file order. */
    public static List<Rule> rules(Path directory) {
        List<Rule> rules = new ArrayList<>();
        for (Path file : yamlFiles(directory)) {
            read(file).ifPresent(root -> {
                for (Map<String, Object> group : groups(root, file)) {
                    rulesOf(group, file).forEach(body -> rules.add(new Rule(file, body)));
                }
            });
        }
        return rules;
    }

    /** The alerting rules of {@link #rules}. */
    public static List<Rule> alerts(Path directory) {
        return rules(directory).stream().filter(Rule::isAlert).toList();
    }

    /**
     * Copies the rule files of {@code sourceDir} for a local Prometheus. Expressions, labels and annotations stay
     * exactly as written; only the waiting times ({@code for:} and a group's {@code interval:}) are capped, so an
     * alert that would fire after minutes in a cluster fires within a run of a minute or two.
     *
     * @param maxWait cap for {@code for:} and group {@code interval:}; null copies the files unchanged
     * @throws IllegalArgumentException when a file is not a Prometheus rule file (the message names it)
     */
    public static CopyResult copy(Path sourceDir, Path targetDir, Duration maxWait) throws IOException {
        Files.createDirectories(targetDir);
        List<Path> written = new ArrayList<>();
        List<Path> skipped = new ArrayList<>();
        int alertRules = 0;
        int shortened = 0;
        for (Path source : yamlFiles(sourceDir)) {
            Optional<Map<String, Object>> ruleFile = read(source);
            if (ruleFile.isEmpty()) {
                skipped.add(source);
                continue;
            }
            for (Map<String, Object> group : groups(ruleFile.get(), source)) {
                if (maxWait != null && capWait(group, "interval", maxWait)) {
                    shortened++;
                }
                for (Map<String, Object> rule : rulesOf(group, source)) {
                    if (rule.containsKey("alert")) {
                        alertRules++;
                        if (maxWait != null && capWait(rule, "for", maxWait)) {
                            shortened++;
                        }
                    }
                }
            }
            Path target = targetDir.resolve(source.getFileName().toString().replaceFirst("\\.yml$", ".yaml"));
            Files.writeString(target, Yaml.dump(ruleFile.get()));
            written.add(target);
        }
        return new CopyResult(written, skipped, alertRules, shortened);
    }

    /**
     * The rule file's root mapping (a {@code PrometheusRule}'s spec), or empty for another Kubernetes object (one
     * with a {@code kind} and no groups).
     *
     * @throws IllegalArgumentException when the file is neither (the message names it)
     */
    public static Optional<Map<String, Object>> read(Path file) {
        List<Map<String, Object>> documents = Yaml.loadAll(readString(file));
        if (documents.size() != 1) {
            throw new IllegalArgumentException(
                    file + ": expected one YAML document with 'groups:' (a Prometheus rule file)");
        }
        Map<String, Object> root = documents.get(0);
        if ("PrometheusRule".equals(root.get("kind"))) {
            root = Yaml.map(root, "spec");
        } else if (root.containsKey("kind") && !root.containsKey("groups")) {
            return Optional.empty();
        }
        if (!(root.get("groups") instanceof List<?>)) {
            throw new IllegalArgumentException(file + ": no 'groups:' list, so this is not a Prometheus rule file");
        }
        return Optional.of(root);
    }

    private static List<Path> yamlFiles(Path directory) {
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.filter(
                            p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static List<Map<String, Object>> groups(Map<String, Object> root, Path file) {
        return mappings(root, "groups", file);
    }

    private static List<Map<String, Object>> rulesOf(Map<String, Object> group, Path file) {
        return mappings(group, "rules", file);
    }

    /** The list under {@code key}: absent is empty; anything but a list of mappings is a mistake in the file. */
    private static List<Map<String, Object>> mappings(Map<String, Object> owner, String key, Path file) {
        Object value = owner.get(key);
        if (value != null
                && (!(value instanceof List<?> items) || items.stream().anyMatch(item -> !(item instanceof Map)))) {
            throw new IllegalArgumentException(file + ": 'groups' and 'rules' must be lists of mappings");
        }
        return Yaml.maps(owner, key);
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
