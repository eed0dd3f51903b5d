package io.sightline.dashboards;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Extracts every query from the dashboards and substitutes Grafana's variables with real-looking values,
 * so the expressions can be sent to a real query engine. Reusable by checks against a running stack:
 * pass values that exist there to {@link #substitute}.
 */
public final class DashboardQueries {

    /** {@code $name}, {@code ${name}}, {@code ${name:format}} and the legacy {@code [[name]]}. */
    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)|\\[\\[(\\w+)(?::\\w+)?]]");

    /** {@code label_values(selector, label)}: the selector part is PromQL. */
    private static final Pattern LABEL_VALUES =
            Pattern.compile("^\\s*label_values\\((.+),\\s*(\\w+)\\s*\\)\\s*$", Pattern.DOTALL);

    private static final Pattern QUERY_RESULT = Pattern.compile("^\\s*query_result\\((.+)\\)\\s*$", Pattern.DOTALL);

    private DashboardQueries() {}

    /**
     * Values for every variable the dashboards use, as a user would select them: one namespace, one application,
     * Grafana's interval macros as a short dashboard range would set them.
     */
    public static Map<String, String> exampleValues() {
        return Map.ofEntries(
                Map.entry("__rate_interval", "1m"),
                Map.entry("__interval", "15s"),
                Map.entry("__auto", "1m"),
                Map.entry("__range", "1h"),
                Map.entry("datasource", "prometheus"),
                Map.entry("loki_datasource", "loki"),
                Map.entry("namespace", "default"),
                Map.entry("application", "demo-service"),
                Map.entry("pod", "demo-service-7d9c6b5f4-x2x9k"),
                Map.entry("container", "demo-service"),
                Map.entry("level", "ERROR"),
                Map.entry("search", "timeout"),
                Map.entry("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"),
                Map.entry("slo_objective", "0.999"));
    }

    /** {@link #exampleValues()} with every multi-value variable of the dashboard set to its "All" value. */
    public static Map<String, String> allSelected(Dashboard dashboard) {
        Map<String, String> values = new HashMap<>(exampleValues());
        for (JsonNode variable : dashboard.variables()) {
            if (variable.path("includeAll").asBoolean() && variable.hasNonNull("allValue")) {
                values.put(
                        variable.path("name").asText(),
                        variable.path("allValue").asText());
            }
        }
        return values;
    }

    /** Every query of every dashboard. */
    public static List<DashboardQuery> of(List<Dashboard> dashboards) {
        return dashboards.stream().flatMap(d -> of(d).stream()).toList();
    }

    /** Every query of one dashboard: panel targets, annotations and template variable selectors. */
    public static List<DashboardQuery> of(Dashboard dashboard) {
        List<DashboardQuery> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.dataPanels()) {
            for (JsonNode target : panel.path("targets")) {
                JsonNode datasource = target.has("datasource") ? target.path("datasource") : panel.path("datasource");
                queries.add(new DashboardQuery(
                        dashboard.uid(),
                        "panel '" + panel.path("title").asText() + "' query "
                                + target.path("refId").asText(),
                        QueryLanguage.ofDatasourceType(datasource.path("type").asText()),
                        target.path("expr").asText()));
            }
        }
        for (JsonNode annotation : dashboard.annotations()) {
            queries.add(new DashboardQuery(
                    dashboard.uid(),
                    "annotation '" + annotation.path("name").asText() + "'",
                    QueryLanguage.ofDatasourceType(
                            annotation.path("datasource").path("type").asText()),
                    annotation.path("expr").asText()));
        }
        for (JsonNode variable : dashboard.variables()) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.path("query");
                // Prometheus variables keep the query text in query.query; Loki's query object holds label and
                // stream instead, so its text is the definition (label_values(<stream selector>, <label>))
                String definition = query.isObject()
                        ? (query.hasNonNull("query")
                                ? query.path("query").asText()
                                : variable.path("definition").asText())
                        : query.asText();
                queries.add(new DashboardQuery(
                        dashboard.uid(),
                        "variable '" + variable.path("name").asText() + "'",
                        QueryLanguage.ofDatasourceType(
                                variable.path("datasource").path("type").asText()),
                        variableExpression(definition)));
            }
        }
        return queries;
    }

    /** The PromQL inside a Grafana Prometheus variable query ({@code label_values(...)}, {@code query_result(...)}). */
    static String variableExpression(String definition) {
        Matcher labelValues = LABEL_VALUES.matcher(definition);
        if (labelValues.matches()) {
            return labelValues.group(1).trim();
        }
        Matcher queryResult = QUERY_RESULT.matcher(definition);
        if (queryResult.matches()) {
            return queryResult.group(1).trim();
        }
        throw new IllegalArgumentException(
                "variable query '" + definition
                        + "' is neither label_values(<selector>, <label>) nor query_result(<expr>): give label_values a selector");
    }

    /** Names of the variables an expression refers to. */
    public static List<String> variablesIn(String expression) {
        List<String> names = new ArrayList<>();
        Matcher m = VARIABLE.matcher(expression);
        while (m.find()) {
            names.add(name(m));
        }
        return names;
    }

    /**
     * Replaces every Grafana variable in the expression with its value.
     *
     * @throws IllegalArgumentException naming the variable when {@code values} has none for it
     */
    public static String substitute(String expression, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(expression);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = name(m);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no value for variable $" + name + " in: " + expression
                        + " (add one to the values passed to DashboardQueries.substitute)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String name(Matcher m) {
        for (int group = 1; group <= 3; group++) {
            if (m.group(group) != null) {
                return m.group(group);
            }
        }
        throw new IllegalStateException("variable pattern matched without a name");
    }
}
