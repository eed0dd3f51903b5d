package io.sightline.k8s.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.rules.Rule;
import io.sightline.testsupport.rules.RuleFiles;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every metric and label the rules use is defined by the telemetry contract, or is a standard name of
 * Micrometer, Prometheus, Loki or Alertmanager listed below: an alert on a misspelt name never fires.
 */
class RuleNamesTest {

    /** Standard metric names the rules use, with who defines them. */
    static final Map<String, String> STANDARD_METRICS = Map.ofEntries(
            // Micrometer (the contract's http_server_requests_seconds_* and jvm_* families)
            Map.entry("http_server_requests_seconds_count", "Micrometer, Spring MVC/WebFlux server observations"),
            Map.entry("http_server_requests_seconds_bucket", "Micrometer, with the starter's SLO buckets"),
            Map.entry("jvm_memory_used_bytes", "Micrometer JvmMemoryMetrics"),
            Map.entry("jvm_memory_max_bytes", "Micrometer JvmMemoryMetrics"),
            Map.entry("jvm_threads_deadlocked_threads", "Micrometer JvmThreadDeadlockMetrics (jvm.threads.deadlocked)"),
            // Prometheus
            Map.entry("up", "Prometheus, per scrape target"),
            Map.entry("prometheus_rule_evaluation_failures_total", "Prometheus rule manager"),
            Map.entry("prometheus_rule_group_iterations_missed_total", "Prometheus rule manager"),
            Map.entry("prometheus_notifications_alertmanagers_discovered", "Prometheus notifier"),
            Map.entry("prometheus_notifications_errors_total", "Prometheus notifier"),
            Map.entry("prometheus_notifications_sent_total", "Prometheus notifier"),
            Map.entry("prometheus_notifications_queue_length", "Prometheus notifier"),
            Map.entry("prometheus_notifications_queue_capacity", "Prometheus notifier"),
            Map.entry("prometheus_sd_kubernetes_failures_total", "Prometheus Kubernetes discovery (failed list/watch)"),
            Map.entry("prometheus_tsdb_compactions_failed_total", "Prometheus TSDB"),
            Map.entry("prometheus_remote_storage_highest_timestamp_in_seconds", "Prometheus remote write"),
            Map.entry(
                    "prometheus_remote_storage_queue_highest_sent_timestamp_seconds",
                    "Prometheus remote write (per queue)"),
            // Loki
            Map.entry("loki_request_duration_seconds_count", "Loki HTTP/gRPC server middleware"),
            Map.entry("loki_discarded_samples_total", "Loki distributor/ingester validation (by reason)"),
            Map.entry(
                    "loki_boltdb_shipper_compact_tables_operation_total",
                    "Loki compactor (index compaction, by status)"),
            Map.entry("loki_compactor_apply_retention_operation_total", "Loki compactor (retention, by status)"),
            // Tempo 2.7
            Map.entry("tempo_discarded_spans_total", "Tempo overrides (spans refused, by reason and tenant)"),
            Map.entry("tempo_ingester_failed_flushes_total", "Tempo ingester (failed block flushes)"),
            // Alertmanager
            Map.entry("alertmanager_notifications_total", "Alertmanager notifier"),
            Map.entry("alertmanager_notifications_failed_total", "Alertmanager notifier"),
            Map.entry("alertmanager_config_last_reload_successful", "Alertmanager configuration coordinator"));

    /** Standard label names the rules use, with who defines them. */
    static final Map<String, String> STANDARD_LABELS = Map.ofEntries(
            Map.entry("uri", "Micrometer http.server.requests"),
            Map.entry("status", "Micrometer http.server.requests; Loki compactor operations"),
            Map.entry("le", "Prometheus histogram buckets"),
            Map.entry("area", "Micrometer JvmMemoryMetrics (heap/nonheap)"),
            Map.entry("id", "Micrometer JvmMemoryMetrics (memory pool)"),
            Map.entry("instance", "Prometheus target label"),
            Map.entry("rule_group", "Prometheus rule manager"),
            Map.entry("route", "Loki request metrics"),
            Map.entry("status_code", "Loki request metrics"),
            Map.entry("integration", "Alertmanager notifier"),
            Map.entry("remote_name", "Prometheus remote write queue"),
            Map.entry("url", "Prometheus remote write queue"));

    private static final Pattern TEMPLATE_LABEL = Pattern.compile("\\$labels\\.([a-zA-Z_][a-zA-Z0-9_]*)");

    @Test
    void rulesUseOnlyDefinedMetrics() {
        TelemetryContract contract = TelemetryContract.read();
        Set<String> recorded = new TreeSet<>();
        RuleFiles.rules(ModuleFiles.RULES).stream().filter(r -> !r.isAlert()).forEach(r -> recorded.add(r.record()));

        List<String> unknown = new ArrayList<>();
        for (Rule rule : RuleFiles.rules(ModuleFiles.RULES)) {
            for (String metric : PromQlNames.of(rule.expr()).metrics) {
                if (!contract.metrics.contains(metric)
                        && !STANDARD_METRICS.containsKey(metric)
                        && !recorded.contains(metric)) {
                    unknown.add(rule + " uses " + metric);
                }
            }
        }
        assertThat(unknown).isEmpty();
    }

    @Test
    void rulesUseOnlyDefinedLabels() {
        TelemetryContract contract = TelemetryContract.read();

        List<String> unknown = new ArrayList<>();
        for (Rule rule : RuleFiles.rules(ModuleFiles.RULES)) {
            Set<String> used = new TreeSet<>(PromQlNames.of(rule.expr()).labels);
            rule.annotations().values().forEach(text -> {
                Matcher m = TEMPLATE_LABEL.matcher(String.valueOf(text));
                while (m.find()) {
                    used.add(m.group(1));
                }
            });
            for (String label : used) {
                if (!contract.labels.contains(label) && !STANDARD_LABELS.containsKey(label)) {
                    unknown.add(rule + " uses label " + label);
                }
            }
        }
        assertThat(unknown).isEmpty();
    }

    @Test
    void standardMicrometerNamesBelongToTheContractsFamilies() {
        TelemetryContract contract = TelemetryContract.read();

        assertThat(contract.standardFamilies).contains("http_server_requests_seconds_", "jvm_", "process_");
        assertThat(STANDARD_METRICS.keySet().stream().filter(m -> m.startsWith("jvm_") || m.startsWith("http_")))
                .allSatisfy(m -> assertThat(contract.standardFamilies)
                        .anySatisfy(f -> assertThat(m).startsWith(f)));
    }

    @Test
    void contractIsReadAsWritten() {
        TelemetryContract contract = TelemetryContract.read();

        assertThat(contract.metrics)
                .contains(
                        "sightline_kube_events_total",
                        "sightline_sidecar_lag_bytes",
                        "sightline_sidecar_send_duration_seconds_bucket",
                        "sightline_event_collector_leader");
        assertThat(contract.labels)
                .contains(
                        "application",
                        "namespace",
                        "pod",
                        "container",
                        "node",
                        "job",
                        "sink",
                        "reason",
                        "input",
                        "kind",
                        "type")
                .doesNotContain("rejected", "retries_exhausted");
    }

    @Test
    void scannerFindsNamesAndSkipsTheRest() {
        PromQlNames names = PromQlNames.of("""
                sum by (namespace, application) (rate(http_server_requests_seconds_count{status=~"5..", uri!~"/a{b}"}[5m]))
                / on (namespace) group_left(owner) max without (pod) (kube_info offset 1h) > bool 0.5e3
                and time() - last_ts > 300
                - on (pod) group_right sent_ts
                """);

        assertThat(names.metrics)
                .containsExactlyInAnyOrder("http_server_requests_seconds_count", "kube_info", "last_ts", "sent_ts");
        assertThat(names.labels).containsExactlyInAnyOrder("namespace", "application", "status", "uri", "owner", "pod");
    }
}
