package io.sightline.dashboards;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sightline's dashboard conventions and the rules of Grafana's dashboard-linter (template-datasource,
 * panel-datasource, panel-title-description, panel-units, target-rate-interval, target-logql-auto, counter
 * aggregation, uneditable dashboard), checked over the JSON files. job/instance are deliberately not template
 * variables (the contract filters by namespace/application/pod), so the linter's job/instance rules become
 * "never hard-code a job or instance matcher".
 */
class DashboardLintTest {

    static final Set<String> UIDS = Set.of(
            "sightline-service",
            "sightline-jvm",
            "sightline-logs",
            "sightline-errors",
            "sightline-k8s-events",
            "sightline-pipeline",
            "sightline-containers");

    /** The contract's variables plus the few a single dashboard needs. */
    private static final Set<String> KNOWN_VARIABLES = Set.of(
            "datasource",
            "loki_datasource",
            "namespace",
            "application",
            "pod",
            "container",
            "level",
            "search",
            "trace_id",
            "slo_objective");

    private static final Set<String> GRAFANA_MACROS = Set.of("__rate_interval", "__interval", "__range", "__auto");

    /** Grafana unit ids the dashboards may use (a subset of Grafana's unit list). */
    private static final Set<String> UNITS =
            Set.of("reqps", "ops", "cps", "s", "bytes", "Bps", "percentunit", "short", "none", "dateTimeAsIso");

    /** Panel types that show no numbers, so a unit means nothing to them. */
    private static final Set<String> UNITLESS_PANELS = Set.of("logs", "text");

    /** Dashboards of Kubernetes' own series, which carry no {@code application} label. */
    private static final Set<String> KUBERNETES_SERIES = Set.of("sightline-k8s-events", "sightline-containers");

    /** Dashboards that carry the Kubernetes-warning and deploy annotations. */
    private static final Set<String> ANNOTATED = Set.of("sightline-service", "sightline-jvm", "sightline-errors");

    private static final Pattern RANGE = Pattern.compile("\\[([^\\]]*)]");
    private static final Pattern RATE_CALL = Pattern.compile("\\b(rate|irate|increase)\\s*\\(");
    private static final Pattern COUNTER =
            Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*_(?:total|count|sum|bucket))\\b");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern JOB_OR_INSTANCE = Pattern.compile("\\b(job|instance)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final Pattern DASHBOARD_URL = Pattern.compile("^/d/([\\w-]+)");

    static List<Dashboard> dashboards() {
        return Dashboard.loadAll();
    }

    /**
     * Logs stay selectable while Prometheus is down: the Logs and Errors dashboards list namespaces and applications
     * from Loki's stream labels ({@code namespace}, {@code service_name}), not from a Prometheus metric.
     */
    @Test
    void logDashboardsListNamespacesAndApplicationsFromLoki() {
        for (String uid : List.of("sightline-logs", "sightline-errors")) {
            Dashboard d = dashboards().stream()
                    .filter(x -> x.uid().equals(uid))
                    .findFirst()
                    .orElseThrow();
            Map.of("namespace", "namespace", "application", "service_name").forEach((variable, label) -> {
                JsonNode v = d.variable(variable).orElseThrow();
                assertThat(v.path("datasource").path("type").asText())
                        .as("datasource of $%s in %s", variable, uid)
                        .isEqualTo("loki");
                assertThat(v.path("query").path("label").asText())
                        .as("Loki label listed by $%s in %s", variable, uid)
                        .isEqualTo(label);
            });
        }
    }

    /**
     * The error budget is spent over the SLO's period (30 days, recorded by k8s-monitoring/rules/slo.yaml), whatever
     * time range the dashboard shows.
     */
    @Test
    void errorBudgetCoversTheSloPeriod() {
        Dashboard service = dashboards().stream()
                .filter(x -> x.uid().equals("sightline-service"))
                .findFirst()
                .orElseThrow();
        JsonNode budget = service.dataPanels().stream()
                .filter(p -> p.path("title").asText().startsWith("Error budget remaining"))
                .findFirst()
                .orElseThrow();

        assertThat(budget.path("targets"))
                .allSatisfy(t -> assertThat(t.path("expr").asText())
                        .contains("namespace_application:sightline_slo_error_ratio:rate30d")
                        .doesNotContain("$__range"));
    }

    @Test
    void theSixContractDashboardsExistUnderTheirUids() {
        List<Dashboard> all = dashboards();
        assertThat(all).extracting(Dashboard::uid).containsExactlyInAnyOrderElementsOf(UIDS);
        for (Dashboard d : all) {
            assertThat(d.file().getFileName().toString())
                    .as("file name of %s", d.uid())
                    .isEqualTo(d.uid() + ".json");
        }
        assertThat(all)
                .extracting(Dashboard::title)
                .doesNotHaveDuplicates()
                .allMatch(t -> t.startsWith("Sightline / "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void isProvisionableAsAFile(Dashboard d) {
        assertThat(d.text())
                .as("import-time inputs do not work for provisioned files")
                .doesNotContain("__inputs")
                .doesNotContain("${DS_");
        assertThat(d.json().path("id").isNull())
                .as("id must be null (Grafana assigns it)")
                .isTrue();
        assertThat(d.json().path("schemaVersion").asInt()).isBetween(36, 41);
        assertThat(d.json().path("editable").asBoolean(true))
                .as("provisioned dashboards are edited in git")
                .isFalse();
        assertThat(d.json().path("tags")).extracting(JsonNode::asText).contains("sightline");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void hasTemplatedDatasourcesAndUsesBoth(Dashboard d) {
        JsonNode prometheus = d.variable("datasource").orElseThrow();
        JsonNode loki = d.variable("loki_datasource").orElseThrow();
        assertThat(List.of(
                        prometheus.path("type").asText(),
                        prometheus.path("query").asText()))
                .containsExactly("datasource", "prometheus");
        assertThat(List.of(loki.path("type").asText(), loki.path("query").asText()))
                .containsExactly("datasource", "loki");
        assertThat(datasourceUidsIn(d.json())).contains("${datasource}", "${loki_datasource}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void everyPanelAndAnnotationUsesATemplatedDatasourceOfItsLanguage(Dashboard d) {
        for (JsonNode panel : d.dataPanels()) {
            assertTemplated(
                    panel.path("datasource"), "panel '" + panel.path("title").asText() + "'");
            assertThat(panel.path("targets").size())
                    .as("targets of '%s'", panel.path("title").asText())
                    .isPositive();
            for (JsonNode target : panel.path("targets")) {
                assertTemplated(
                        target.path("datasource"),
                        "a target of '" + panel.path("title").asText() + "'");
            }
        }
        for (JsonNode annotation : d.annotations()) {
            assertTemplated(
                    annotation.path("datasource"),
                    "annotation '" + annotation.path("name").asText() + "'");
        }
        for (JsonNode variable : d.variables()) {
            if ("query".equals(variable.path("type").asText())) {
                assertTemplated(
                        variable.path("datasource"),
                        "variable '" + variable.path("name").asText() + "'");
            }
        }
    }

    private static void assertTemplated(JsonNode datasource, String where) {
        QueryLanguage language =
                QueryLanguage.ofDatasourceType(datasource.path("type").asText());
        assertThat(datasource.path("uid").asText())
                .as("datasource uid of %s", where)
                .isEqualTo(language.datasourceVariable());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void everyPanelHasTitleDescriptionAndUnit(Dashboard d) {
        for (JsonNode panel : d.panels()) {
            String title = panel.path("title").asText();
            assertThat(title).as("a panel title in %s", d.uid()).isNotBlank();
            assertThat(panel.path("description").asText())
                    .as("description of '%s'", title)
                    .isNotBlank();
            String type = panel.path("type").asText();
            if (!type.equals("row") && !UNITLESS_PANELS.contains(type)) {
                assertThat(panel.path("fieldConfig")
                                .path("defaults")
                                .path("unit")
                                .asText())
                        .as("unit of '%s'", title)
                        .isIn(UNITS);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void panelIdsAreUniqueAndPanelsDoNotOverlap(Dashboard d) {
        List<JsonNode> panels = d.panels();
        assertThat(panels)
                .extracting(p -> p.path("id").asInt(-1))
                .allMatch(id -> id > 0)
                .doesNotHaveDuplicates();
        for (int i = 0; i < panels.size(); i++) {
            JsonNode a = panels.get(i).path("gridPos");
            assertThat(a.path("x").asInt() + a.path("w").asInt())
                    .as("right edge of '%s'", panels.get(i).path("title"))
                    .isBetween(1, 24);
            for (int j = i + 1; j < panels.size(); j++) {
                JsonNode b = panels.get(j).path("gridPos");
                boolean overlap =
                        a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
                                && b.path("x").asInt()
                                        < a.path("x").asInt() + a.path("w").asInt()
                                && a.path("y").asInt()
                                        < b.path("y").asInt() + b.path("h").asInt()
                                && b.path("y").asInt()
                                        < a.path("y").asInt() + a.path("h").asInt();
                assertThat(overlap)
                        .as(
                                "'%s' overlaps '%s'",
                                panels.get(i).path("title"), panels.get(j).path("title"))
                        .isFalse();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void variablesAreKnownDefinedAndReloadWithTheTimeRange(Dashboard d) {
        Set<String> defined = new HashSet<>();
        for (JsonNode variable : d.variables()) {
            String name = variable.path("name").asText();
            defined.add(name);
            assertThat(name).isIn(KNOWN_VARIABLES);
            assertThat(variable.path("label").asText()).as("label of $%s", name).isNotBlank();
            if ("query".equals(variable.path("type").asText())) {
                assertThat(variable.path("refresh").asInt())
                        .as("$%s refreshes on time range change", name)
                        .isEqualTo(2);
            }
            if (variable.path("includeAll").asBoolean()) {
                assertThat(variable.path("allValue").asText())
                        .as("$%s: Loki rejects selectors whose matchers all match the empty string, so All is .+", name)
                        .isEqualTo(".+");
            }
        }
        assertThat(defined).contains("datasource", "loki_datasource", "namespace");
        if (!d.uid().equals("sightline-k8s-events")) {
            assertThat(defined).as("events have no application or pod label").contains("pod");
        }
        if (!KUBERNETES_SERIES.contains(d.uid())) {
            assertThat(defined)
                    .as("the kubelet's and kube-state-metrics' series have no application label")
                    .contains("application");
        }
        for (DashboardQuery query : DashboardQueries.of(d)) {
            for (String name : DashboardQueries.variablesIn(query.expression())) {
                assertThat(defined.contains(name) || GRAFANA_MACROS.contains(name))
                        .as("%s uses $%s, which the dashboard does not define", query, name)
                        .isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void promqlRangesUseRateInterval(Dashboard d) {
        for (DashboardQuery query : promqlPanelsAndAnnotations(d)) {
            Matcher range = RANGE.matcher(withoutStrings(query.expression()));
            while (range.find()) {
                assertThat(range.group(1))
                        .as("range in %s: %s", query, query.expression())
                        .isIn("$__rate_interval", "$__range:$__rate_interval");
            }
            Matcher call = RATE_CALL.matcher(query.expression());
            while (call.find()) {
                String argument = argumentOf(query.expression(), call.end());
                assertThat(argument).as("%s() in %s", call.group(1), query).endsWith("[$__rate_interval]");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void countersAreNeverPlottedRaw(Dashboard d) {
        for (DashboardQuery query : promqlPanelsAndAnnotations(d)) {
            String expression = withoutStrings(query.expression());
            Matcher counter = COUNTER.matcher(expression);
            while (counter.find()) {
                String before = expression.substring(0, counter.start()).stripTrailing();
                assertThat(before)
                        .as("%s: counter %s must be inside rate(), irate() or increase()", query, counter.group(1))
                        .matches("(?s).*\\b(rate|irate|increase)\\s*\\($");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void jobAndInstanceAreNeverHardCoded(Dashboard d) {
        for (DashboardQuery query : DashboardQueries.of(d)) {
            Matcher m = JOB_OR_INSTANCE.matcher(query.expression());
            while (m.find()) {
                assertThat(m.group(3)).as("%s hard-codes %s", query, m.group()).startsWith("$");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void logqlRangesUseAutoOrTheDashboardRange(Dashboard d) {
        for (DashboardQuery query : DashboardQueries.of(d)) {
            if (query.language() == QueryLanguage.LOGQL) {
                Matcher range = RANGE.matcher(withoutStrings(query.expression()));
                while (range.find()) {
                    assertThat(range.group(1)).as("range in %s", query).isIn("$__auto", "$__range");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void linksStayWithinTheSightlineDashboards(Dashboard d) {
        assertThat(d.json().path("links")).anySatisfy(link -> {
            assertThat(link.path("type").asText()).isEqualTo("dashboards");
            assertThat(link.path("tags")).extracting(JsonNode::asText).contains("sightline");
            assertThat(link.path("includeVars").asBoolean()).isTrue();
            assertThat(link.path("keepTime").asBoolean()).isTrue();
        });
        for (String url : dataLinkUrls(d.json())) {
            Matcher target = DASHBOARD_URL.matcher(url);
            assertThat(target.find())
                    .as("data link %s opens a Sightline dashboard", url)
                    .isTrue();
            assertThat(target.group(1)).as("data link %s", url).isIn(UIDS);
        }
    }

    @Test
    void serviceOverviewLinksToLogsAndErrorsAndErrorsLinkToTraces() {
        Map<String, Dashboard> byUid = byUid();
        assertThat(dataLinkUrls(byUid.get("sightline-service").json()))
                .anyMatch(u -> u.startsWith("/d/sightline-logs") && u.contains("var-application="))
                .anyMatch(u -> u.startsWith("/d/sightline-errors") && u.contains("var-application="));
        assertThat(dataLinkUrls(byUid.get("sightline-errors").json()))
                .anyMatch(u -> u.startsWith("/d/sightline-logs") && u.contains("var-trace_id="));
    }

    /** Pod to containers: the service overview opens the containers of its pods, and each container's pod back. */
    @Test
    void serviceOverviewAndContainersLinkBothWays() {
        Map<String, Dashboard> byUid = byUid();
        assertThat(dataLinkUrls(byUid.get("sightline-service").json()))
                .anyMatch(u -> u.startsWith("/d/sightline-containers")
                        && u.contains("${namespace:queryparam}")
                        && u.contains("${pod:queryparam}"));
        assertThat(dataLinkUrls(byUid.get("sightline-containers").json()))
                .anyMatch(u -> u.startsWith("/d/sightline-service")
                        && u.contains("var-namespace=${__field.labels.namespace}")
                        && u.contains("var-pod=${__field.labels.pod}"));
    }

    static List<Dashboard> serviceDashboards() {
        List<Dashboard> annotated =
                dashboards().stream().filter(d -> ANNOTATED.contains(d.uid())).toList();
        assertThat(annotated).hasSameSizeAs(ANNOTATED);
        return annotated;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceDashboards")
    void serviceDashboardsAnnotateKubernetesWarningsAndDeploys(Dashboard d) {
        assertThat(DashboardQueries.of(d))
                .filteredOn(q -> q.location().startsWith("annotation"))
                .anySatisfy(q -> {
                    assertThat(q.language()).isEqualTo(QueryLanguage.LOGQL);
                    assertThat(q.expression()).contains("service_name=\"kubernetes-events\"", "Warning", "$namespace");
                })
                .anySatisfy(q -> {
                    assertThat(q.language()).isEqualTo(QueryLanguage.PROMQL);
                    assertThat(q.expression()).contains("sightline_build_info", "version");
                });
    }

    /** Each dashboard queries what its title promises (guards against a panel silently dropped). */
    @Test
    void dashboardsShowWhatTheyPromise() {
        Map<String, List<String>> promised = Map.of(
                "sightline-service",
                        List.of(
                                "histogram_quantile(0.5,",
                                "histogram_quantile(0.95,",
                                "histogram_quantile(0.99,",
                                "http_server_requests_seconds_bucket",
                                "outcome=\"SERVER_ERROR\"",
                                "$slo_objective"),
                "sightline-jvm",
                        List.of(
                                "area=\"heap\"",
                                "area=\"nonheap\"",
                                "jvm_memory_max_bytes",
                                "jvm_gc_pause_seconds_sum",
                                "jvm_threads_live_threads",
                                "jvm_threads_states_threads",
                                "process_cpu_usage",
                                "process_files_open_files",
                                "process_files_max_files"),
                "sightline-logs", List.of("$search", "$trace_id", "count_over_time", "level=\"ERROR\""),
                "sightline-errors",
                        List.of(
                                "sightline_exceptions_total",
                                "stack_hash != \"\"",
                                "sum by (stack_hash",
                                "min_over_time",
                                "max_over_time",
                                "trace_id"),
                "sightline-k8s-events",
                        List.of(
                                "type=\"Warning\"",
                                "sum by (reason)",
                                "sum by (namespace)",
                                "OOMKilling",
                                "reason=\"BackOff\"",
                                "service_name=\"kubernetes-events\""),
                "sightline-containers",
                        List.of(
                                "container_cpu_usage_seconds_total",
                                "kube_pod_container_resource_requests",
                                "container_spec_cpu_quota",
                                "container_cpu_cfs_throttled_periods_total",
                                "container_memory_working_set_bytes",
                                "container_spec_memory_limit_bytes",
                                "reason=\"OOMKilled\"",
                                "kube_pod_container_status_restarts_total",
                                "kube_pod_container_status_waiting_reason",
                                "container_network_receive_bytes_total",
                                "container_fs_writes_bytes_total",
                                "kubelet_volume_stats_available_bytes"),
                "sightline-pipeline",
                        List.of(
                                "sightline_sidecar_lag_bytes",
                                "sightline_sidecar_records_sent_total",
                                "sightline_sidecar_records_dropped_total",
                                "sightline_sidecar_send_retries_total",
                                "sightline_sidecar_send_duration_seconds_bucket",
                                "sightline_event_collector_leader",
                                "sightline_event_collector_relists_total",
                                "sightline_event_collector_watch_errors_total",
                                "sightline_event_collector_records_written_total",
                                "sightline_event_collector_records_dropped_total",
                                "prometheus_tsdb_head_samples_appended_total",
                                "loki_distributor_lines_received_total",
                                "loki_request_duration_seconds_count"));
        Map<String, Dashboard> byUid = byUid();
        promised.forEach((uid, fragments) -> {
            String all = String.join(
                    "\n",
                    DashboardQueries.of(byUid.get(uid)).stream()
                            .map(DashboardQuery::expression)
                            .toList());
            assertThat(all).as("queries of %s", uid).contains(fragments);
        });
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, Dashboard> byUid() {
        Map<String, Dashboard> byUid = new HashMap<>();
        dashboards().forEach(d -> byUid.put(d.uid(), d));
        return byUid;
    }

    private static List<DashboardQuery> promqlPanelsAndAnnotations(Dashboard d) {
        return DashboardQueries.of(d).stream()
                .filter(q ->
                        q.language() == QueryLanguage.PROMQL && !q.location().startsWith("variable"))
                .toList();
    }

    /** Blanks string literals so label values never look like metric names or ranges. */
    private static String withoutStrings(String expression) {
        return STRING_LITERAL.matcher(expression).replaceAll("\"\"");
    }

    /** The text of a call's argument list, from just after '(' to its matching ')'. */
    private static String argumentOf(String expression, int start) {
        int depth = 1;
        for (int i = start; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return expression.substring(start, i).strip();
            }
        }
        throw new AssertionError("unbalanced parentheses in " + expression);
    }

    private static Set<String> datasourceUidsIn(JsonNode node) {
        Set<String> uids = new HashSet<>();
        walk(node, (key, value) -> {
            if (key.equals("datasource") && value.has("uid")) {
                uids.add(value.path("uid").asText());
            }
        });
        return uids;
    }

    private static List<String> dataLinkUrls(JsonNode dashboard) {
        List<String> urls = new ArrayList<>();
        walk(dashboard.path("panels"), (key, value) -> {
            // links sit in fieldConfig.defaults.links or, per column, in an override property {"id": "links"}
            boolean overrideLinks = key.equals("properties") && value.isArray();
            if (key.equals("links") && value.isArray()) {
                value.forEach(link -> urls.add(link.path("url").asText()));
            } else if (overrideLinks) {
                value.forEach(property -> {
                    if (property.path("id").asText().equals("links")) {
                        property.path("value")
                                .forEach(link -> urls.add(link.path("url").asText()));
                    }
                });
            }
        });
        return urls;
    }

    private static void walk(JsonNode node, BiConsumer<String, JsonNode> visitor) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                visitor.accept(e.getKey(), e.getValue());
                walk(e.getValue(), visitor);
            });
        } else if (node.isArray()) {
            node.forEach(child -> walk(child, visitor));
        }
    }
}
