package io.sightline.k8s.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;

import static io.sightline.k8s.support.Manifests.configData;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A critical alert silences the warning alert of the same name only for the same thing: every label that tells two
 * firing alerts of a two-severity alert apart (as its promtool tests expect them) is in the inhibit rule's
 * {@code equal}. A label missing there would let the critical alert of one volume silence the warning of another,
 * since Alertmanager counts a label that neither alert has as equal.
 */
class InhibitionLabelsTest {

    @Test
    void inhibitionComparesEveryLabelThatTellsTwoSeverityAlertsApart() {
        Map<String, Object> config = Yaml.load(configData(
                Manifests.render(ModuleFiles.BASE).generatedConfigMap("alertmanager-config"), "alertmanager.yml"));
        Map<String, Object> inhibit = Yaml.maps(config, "inhibit_rules").get(0);
        assertThat(Yaml.list(inhibit, "source_matchers")).containsExactly("severity=\"critical\"");
        Set<String> equal = new TreeSet<>();
        Yaml.list(inhibit, "equal").forEach(label -> equal.add(String.valueOf(label)));

        Map<String, Set<String>> severities = new HashMap<>();
        Map<String, Set<String>> labels = new HashMap<>();
        for (Path testFile : ModuleFiles.ruleTestFiles()) {
            for (Map<String, Object> testCase : Yaml.maps(Yaml.load(ModuleFiles.read(testFile)), "tests")) {
                for (Map<String, Object> check : Yaml.maps(testCase, "alert_rule_test")) {
                    String alert = Yaml.text(check, "alertname");
                    for (Map<String, Object> expected : Yaml.maps(check, "exp_alerts")) {
                        Map<String, Object> expLabels = Yaml.map(expected, "exp_labels");
                        severities.computeIfAbsent(alert, a -> new TreeSet<>()).add(Yaml.text(expLabels, "severity"));
                        labels.computeIfAbsent(alert, a -> new TreeSet<>()).addAll(expLabels.keySet());
                    }
                }
            }
        }

        List<String> twoSeverity = new ArrayList<>();
        severities.forEach((alert, found) -> {
            if (found.containsAll(List.of("critical", "warning"))) {
                twoSeverity.add(alert);
                Set<String> distinguishing = new TreeSet<>(labels.get(alert));
                distinguishing.remove("severity");
                assertThat(equal)
                        .as("%s fires as critical and warning with labels %s", alert, distinguishing)
                        .containsAll(distinguishing);
            }
        });
        assertThat(twoSeverity).contains("KubePersistentVolumeFillingUp", "JvmHeapFillingUp");
    }
}
