package io.sightline.testsupport.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.sightline.testsupport.tool.Tool;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleFilesTest {

    private static final String RULES = """
            groups:
              - name: example
                interval: 1m
                rules:
                  - record: job:errors:rate5m
                    expr: sum by (job) (rate(errors_total[5m]))
                  - alert: ErrorsHigh
                    expr: job:errors:rate5m > 1
                    for: 10m
                    labels:
                      severity: critical
                    annotations:
                      summary: "{{ $labels.job }} fails"
                  - alert: Heartbeat
                    expr: vector(1)
                    for: 5s
            """;

    @TempDir
    Path dir;

    @Test
    void capsWaitsAndKeepsExpressionsLabelsAndAnnotations() throws IOException {
        Path source = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(source.resolve("example.yaml"), RULES);

        RuleFiles.CopyResult result = RuleFiles.copy(source, dir.resolve("out"), Duration.ofSeconds(15));

        assertThat(result.alertRules()).isEqualTo(2);
        assertThat(result.shortenedWaits())
                .as("the 10m for: and the 1m group interval")
                .isEqualTo(2);
        Map<?, ?> group = (Map<?, ?>) ((List<?>) load(result.files().get(0)).get("groups")).get(0);
        assertThat(group.get("interval")).isEqualTo("15s");
        List<?> rules = (List<?>) group.get("rules");
        Map<?, ?> errorsHigh = (Map<?, ?>) rules.get(1);
        assertThat(errorsHigh.get("for")).isEqualTo("15s");
        assertThat(errorsHigh.get("expr")).isEqualTo("job:errors:rate5m > 1");
        assertThat(errorsHigh.get("labels")).isEqualTo(Map.of("severity", "critical"));
        assertThat(errorsHigh.get("annotations")).isEqualTo(Map.of("summary", "{{ $labels.job }} fails"));
        assertThat(((Map<?, ?>) rules.get(2)).get("for"))
                .as("shorter waits stay")
                .isEqualTo("5s");
    }

    @Test
    void copiesUnchangedWithoutACap() throws IOException {
        Path source = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(source.resolve("example.yml"), RULES);

        RuleFiles.CopyResult result = RuleFiles.copy(source, dir.resolve("out"), null);

        assertThat(result.shortenedWaits()).isZero();
        assertThat(result.files()).extracting(p -> p.getFileName().toString()).containsExactly("example.yaml");
        Map<?, ?> group = (Map<?, ?>) ((List<?>) load(result.files().get(0)).get("groups")).get(0);
        assertThat(((Map<?, ?>) ((List<?>) group.get("rules")).get(1)).get("for"))
                .isEqualTo("10m");
    }

    @Test
    void unwrapsPrometheusRuleResourcesAndSkipsOtherKubernetesObjects() throws IOException {
        Path source = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(source.resolve("crd.yaml"), """
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata:
                  name: example
                spec:
                """ + RULES.indent(2));
        Files.writeString(source.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                configMapGenerator:
                  - name: prometheus-rules
                    files: [crd.yaml]
                """);

        RuleFiles.CopyResult result = RuleFiles.copy(source, dir.resolve("out"), Duration.ofSeconds(15));

        assertThat(result.files()).extracting(p -> p.getFileName().toString()).containsExactly("crd.yaml");
        assertThat(result.skipped()).extracting(p -> p.getFileName().toString()).containsExactly("kustomization.yaml");
        assertThat(List.copyOf(load(result.files().get(0)).keySet())).isEqualTo(List.of("groups"));
        assertThat(result.alertRules()).isEqualTo(2);
    }

    @Test
    void namesTheFileThatIsNotARuleFile() throws IOException {
        Path source = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(source.resolve("broken.yaml"), "rules: []\n");

        assertThatThrownBy(() -> RuleFiles.copy(source, dir.resolve("out"), Duration.ofSeconds(15)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broken.yaml")
                .hasMessageContaining("groups");
    }

    /** The project's real rule files, capped, still pass promtool (so the local Prometheus loads them). */
    @Test
    void projectRulesStayValidForPromtool() throws Exception {
        Path projectRules = Path.of("..", "k8s-monitoring", "rules");
        assertThat(projectRules).isDirectory();

        RuleFiles.CopyResult result = RuleFiles.copy(projectRules, dir.resolve("out"), Duration.ofSeconds(15));

        assertThat(result.files()).isNotEmpty();
        assertThat(result.alertRules()).isPositive();
        List<String> arguments = new ArrayList<>(List.of("check", "rules"));
        result.files().forEach(f -> arguments.add(f.toString()));
        Tool.PROMTOOL.run(dir, arguments.toArray(String[]::new)).assertSuccess();
    }

    @Test
    void readsEveryRuleOfTheRuleFilesOfADirectory() throws IOException {
        Path source = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(source.resolve("example.yaml"), RULES);
        Files.writeString(source.resolve("kustomization.yaml"), "kind: Kustomization\nresources: []\n");

        List<Rule> rules = RuleFiles.rules(source);

        assertThat(rules)
                .extracting(Rule::toString)
                .containsExactly(
                        "example.yaml: job:errors:rate5m",
                        "example.yaml: ErrorsHigh{severity=critical}",
                        "example.yaml: Heartbeat{severity=null}");
        assertThat(RuleFiles.alerts(source)).extracting(Rule::alert).containsExactly("ErrorsHigh", "Heartbeat");
        Rule errorsHigh = rules.get(1);
        assertThat(errorsHigh.expr()).isEqualTo("job:errors:rate5m > 1");
        assertThat(errorsHigh.forDuration()).isEqualTo("10m");
        assertThat(errorsHigh.annotations()).containsEntry("summary", "{{ $labels.job }} fails");
    }

    @Test
    void refusesRulesThatAreNotAListOfMappings() throws IOException {
        Path source = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(source.resolve("odd.yaml"), "groups:\n  - name: g\n    rules: [just-a-string]\n");

        assertThatThrownBy(() -> RuleFiles.rules(source))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("odd.yaml")
                .hasMessageContaining("lists of mappings");
    }

    private static Map<?, ?> load(Path file) throws IOException {
        return Yaml.load(Files.readString(file));
    }
}
