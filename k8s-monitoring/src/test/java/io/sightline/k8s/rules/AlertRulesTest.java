package io.sightline.k8s.rules;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.sightline.k8s.support.Markdown;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.prometheus.PromDuration;
import io.sightline.testsupport.rules.Rule;
import io.sightline.testsupport.rules.RuleFiles;
import io.sightline.testsupport.tool.Tool;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule files pass the real {@code promtool check rules} and {@code promtool test rules}; every alert carries
 * what the on-call person needs and is unit-tested on both sides of its {@code for}.
 */
class AlertRulesTest {

    static final String RUNBOOKS_URL = "https://github.com/sightline/sightline/blob/main/docs/runbooks.md#";
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "none");

    static Stream<Path> ruleFiles() {
        return ModuleFiles.ruleFiles().stream();
    }

    static Stream<Path> ruleTestFiles() {
        return ModuleFiles.ruleTestFiles().stream();
    }

    @ParameterizedTest
    @MethodSource("ruleFiles")
    void promtoolChecksTheRuleFile(Path file) {
        String output = Tool.PROMTOOL
                .run(ModuleFiles.RULES, "check", "rules", file.toString())
                .assertSuccess();

        assertThat(output).contains("SUCCESS");
    }

    @ParameterizedTest
    @MethodSource("ruleTestFiles")
    void promtoolUnitTestsPass(Path testFile) {
        String output = Tool.PROMTOOL
                .run(ModuleFiles.RULE_TESTS, "test", "rules", testFile.toString())
                .assertSuccess();

        assertThat(output).contains("SUCCESS");
    }

    @Test
    void everyRuleFileIsMountedIntoPrometheus() {
        Map<String, Object> kustomization =
                Yaml.load(ModuleFiles.read(ModuleFiles.RULES.resolve("kustomization.yaml")));

        assertThat(Yaml.list(kustomization, "configMapGenerator", "0", "files"))
                .containsExactlyInAnyOrderElementsOf(ModuleFiles.ruleFiles().stream()
                        .map(p -> p.getFileName().toString())
                        .toList());
    }

    @Test
    void everyAlertCarriesForSeverityAndAnnotations() {
        List<Rule> alerts = RuleFiles.alerts(ModuleFiles.RULES);

        assertThat(alerts).isNotEmpty().allSatisfy(alert -> {
            assertThat(Yaml.text(alert.body(), "for")).as("%s: for", alert).isNotBlank();
            assertThat(alert.severity()).as("%s: severity", alert).isIn(SEVERITIES);
            for (String annotation : List.of("summary", "description", "runbook_url")) {
                assertThat(Yaml.text(alert.annotations(), annotation))
                        .as("%s: %s", alert, annotation)
                        .isNotBlank();
            }
        });
    }

    @Test
    void everyRunbookUrlPointsAtAnExistingSection() {
        Set<String> anchors = Markdown.headingAnchors(ModuleFiles.read(ModuleFiles.RUNBOOKS));

        assertThat(RuleFiles.alerts(ModuleFiles.RULES)).allSatisfy(alert -> {
            String url = Yaml.text(alert.annotations(), "runbook_url");
            assertThat(url).as("%s", alert).startsWith(RUNBOOKS_URL);
            assertThat(anchors)
                    .as("%s: docs/runbooks.md has a section for %s", alert, url)
                    .contains(url.substring(RUNBOOKS_URL.length()));
        });
    }

    /**
     * For every alert and severity, one test case of rules/tests/ expects it firing and, at an earlier evaluation
     * of the same input, expects no alert of that name: the two sides of its {@code for} and threshold.
     */
    @Test
    void everyAlertIsUnitTestedOnBothSides() {
        Set<String> covered = new HashSet<>();
        for (Path testFile : ModuleFiles.ruleTestFiles()) {
            for (Map<String, Object> testCase : Yaml.maps(Yaml.load(ModuleFiles.read(testFile)), "tests")) {
                List<Map<String, Object>> checks = Yaml.maps(testCase, "alert_rule_test");
                for (Map<String, Object> firing : checks) {
                    for (Map<String, Object> expected : Yaml.maps(firing, "exp_alerts")) {
                        boolean silentBefore = checks.stream()
                                .anyMatch(quiet -> Yaml.text(quiet, "alertname").equals(Yaml.text(firing, "alertname"))
                                        && Yaml.list(quiet, "exp_alerts").isEmpty()
                                        && PromDuration.parse(Yaml.text(quiet, "eval_time"))
                                                        .compareTo(PromDuration.parse(Yaml.text(firing, "eval_time")))
                                                < 0);
                        if (silentBefore) {
                            covered.add(Yaml.text(firing, "alertname") + "/"
                                    + Yaml.text(expected, "exp_labels", "severity"));
                        }
                    }
                }
            }
        }

        List<String> untested = new ArrayList<>();
        for (Rule alert : RuleFiles.alerts(ModuleFiles.RULES)) {
            if (!covered.contains(alert.alert() + "/" + alert.severity())) {
                untested.add(alert.toString());
            }
        }
        assertThat(untested)
                .as("alerts without a test on both sides in rules/tests/")
                .isEmpty();
    }

    @Test
    void everyRuleFileHasAUnitTestFile() {
        Set<String> tested = new HashSet<>();
        for (Path testFile : ModuleFiles.ruleTestFiles()) {
            Yaml.list(Yaml.load(ModuleFiles.read(testFile)), "rule_files")
                    .forEach(f ->
                            tested.add(Path.of(String.valueOf(f)).getFileName().toString()));
        }

        assertThat(tested)
                .containsAll(ModuleFiles.ruleFiles().stream()
                        .map(p -> p.getFileName().toString())
                        .toList());
    }
}
