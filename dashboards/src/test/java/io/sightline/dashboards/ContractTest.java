package io.sightline.dashboards;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sightline.testsupport.contract.TelemetryContractDoc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the dashboards to docs/telemetry-contract.md: dashboard uids, datasource uids, template variables, and
 * every metric name a dashboard queries (Sightline's own from the contract's tables, Micrometer's from the
 * names the starter exposes, recording rules from k8s-monitoring/rules).
 */
class ContractTest {

    /** Micrometer's standard names (with the starter's SLO histogram) that the dashboards read. */
    private static final Set<String> MICROMETER_METRICS = Set.of(
            "http_server_requests_seconds_bucket",
            "http_server_requests_seconds_count",
            "http_server_requests_seconds_sum",
            "jvm_memory_used_bytes",
            "jvm_memory_max_bytes",
            "jvm_gc_pause_seconds_sum",
            "jvm_gc_pause_seconds_count",
            "jvm_gc_pause_seconds_max",
            "jvm_threads_live_threads",
            "jvm_threads_states_threads",
            "process_cpu_usage",
            "system_cpu_usage",
            "process_files_open_files",
            "process_files_max_files",
            "process_uptime_seconds",
            "logback_events_total");

    /** Prometheus's and Loki's own metrics, used by the ingestion panels. */
    private static final Pattern STORE_METRIC = Pattern.compile("(prometheus|loki)_\\w+|up");

    private static final Set<String> PROMQL_KEYWORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "offset",
            "bool",
            "and",
            "or",
            "unless",
            "inf",
            "nan");

    private static TelemetryContractDoc contract;

    @BeforeAll
    static void readContract() {
        contract = TelemetryContractDoc.read(
                Dashboard.moduleDirectory().resolveSibling("docs").resolve("telemetry-contract.md"));
    }

    @Test
    void dashboardUidsAreTheContracts() {
        assertThat(bullet("- Dashboard uids:")).containsExactlyInAnyOrderElementsOf(DashboardLintTest.UIDS);
    }

    @Test
    void datasourceDefaultsAreTheContractsUids() {
        Set<String> contractUids = bullet("- Datasource uids:");
        for (Dashboard d : Dashboard.loadAll()) {
            for (String variable : new String[] {"datasource", "loki_datasource"}) {
                assertThat(d.variable(variable)
                                .orElseThrow()
                                .path("current")
                                .path("value")
                                .asText())
                        .as("default of $%s in %s", variable, d.uid())
                        .isIn(contractUids);
            }
        }
    }

    @Test
    void templateVariablesAreTheContracts() {
        Set<String> contractVariables = bullet("- Template variables:");
        assertThat(contractVariables).contains("datasource", "loki_datasource", "namespace", "application", "pod");
        for (Dashboard d : Dashboard.loadAll()) {
            Set<String> names = new HashSet<>();
            d.variables().forEach(v -> names.add(v.path("name").asText()));
            assertThat(names).as("variables of %s", d.uid()).contains("datasource", "loki_datasource", "namespace");
        }
    }

    @Test
    void everyMetricQueriedIsInTheContractOrIsAStandardName() throws IOException {
        Set<String> used = new HashSet<>();
        DashboardQueries.of(Dashboard.loadAll()).stream()
                .filter(q -> q.language() == QueryLanguage.PROMQL)
                .forEach(q -> used.addAll(metricNames(q.expression())));
        assertThat(used).as("metric names found").contains("sightline_build_info", "jvm_memory_used_bytes");
        Set<String> recorded = recordingRules();
        Set<String> contractMetrics = TelemetryContractDoc.metricLabels(contract.section("## 4. Metrics"))
                .keySet();
        for (String metric : used) {
            if (metric.contains(":")) {
                assertThat(recorded)
                        .as("%s is not recorded by k8s-monitoring/rules/*.yaml", metric)
                        .contains(metric);
            } else if (metric.startsWith("sightline_")) {
                String family = metric.replaceFirst("_(bucket|count|sum)$", "");
                assertThat(contractMetrics)
                        .as("%s is not in docs/telemetry-contract.md", metric)
                        .containsAnyOf(metric, family);
            } else {
                assertThat(MICROMETER_METRICS.contains(metric)
                                || STORE_METRIC.matcher(metric).matches())
                        .as("%s is neither a Micrometer name the starter exposes nor a Prometheus/Loki metric", metric)
                        .isTrue();
            }
        }
    }

    /**
     * Metric names in a PromQL expression: identifiers (not $variables, not function calls) left after removing
     * strings, matchers, groupings, ranges and offsets.
     */
    static Set<String> metricNames(String expression) {
        String bare = expression
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\[[^\\]]*]", " ")
                .replaceAll("\\boffset\\s+\\w+", " ");
        Set<String> names = new HashSet<>();
        Matcher m = Pattern.compile("(?<![\\w$])([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(\\s*\\()?")
                .matcher(bare);
        while (m.find()) {
            String name = m.group(1);
            if (m.group(2) == null && !PROMQL_KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    /** Names recorded by k8s-monitoring's rule files (the same files the local stack's Prometheus loads). */
    private static Set<String> recordingRules() throws IOException {
        Set<String> names = new HashSet<>();
        Path rules =
                Dashboard.moduleDirectory().resolveSibling("k8s-monitoring").resolve("rules");
        try (DirectoryStream<Path> files = Files.newDirectoryStream(rules, "*.yaml")) {
            for (Path file : files) {
                Matcher m = Pattern.compile("(?m)^\\s*-?\\s*record:\\s*(\\S+)").matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /** The names in the contract's bullet that starts with {@code prefix}, e.g. "- Dashboard uids:". */
    private static Set<String> bullet(String prefix) {
        Set<String> names =
                new HashSet<>(TelemetryContractDoc.codeSpans(contract.bullet(contract.section("## 5."), prefix)));
        assertThat(names).as("names in the bullet %s", prefix).isNotEmpty();
        return names;
    }
}
