package io.sightline.collector.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sightline.collector.MockCluster;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Case 7: every {@code sightline_kube_events_total} selector in k8s-monitoring's alert rules is covered by a default
 * preset series, so the series an alert reads exists at 0 before its first occurrence.
 */
class PresetSeriesTest {

    private static final Path RULES = Path.of("../k8s-monitoring/rules/kubernetes.yaml");
    private static final Pattern SELECTOR = Pattern.compile("sightline_kube_events_total\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(=~|=)\\s*\"([^\"]*)\"");

    @Test
    void everyCombinationTheRulesReadIsAPresetSeries() throws IOException {
        List<String> presets = MockCluster.DEFAULT_METRICS.presetSeries();
        Matcher selectors = SELECTOR.matcher(Files.readString(RULES));
        List<String> uncovered = new ArrayList<>();
        int combinations = 0;
        while (selectors.find()) {
            Map<String, List<String>> matchers = new TreeMap<>();
            Matcher m = MATCHER.matcher(selectors.group(1));
            while (m.find()) {
                matchers.put(
                        m.group(1), m.group(2).equals("=~") ? List.of(m.group(3).split("\\|")) : List.of(m.group(3)));
            }
            for (String reason : matchers.getOrDefault("reason", List.of(""))) {
                combinations++;
                boolean covered = presets.stream()
                        .map(p -> p.split("/"))
                        .anyMatch(p -> p[1].equals(reason)
                                && matchers.getOrDefault("kind", List.of(p[0])).contains(p[0])
                                && matchers.getOrDefault("type", List.of(p[2])).contains(p[2]));
                if (!covered) {
                    uncovered.add(matchers.toString());
                }
            }
        }
        assertThat(combinations).as("selectors found in " + RULES).isGreaterThanOrEqualTo(5);
        assertThat(uncovered).as("rule selectors without a preset series").isEmpty();
    }
}
