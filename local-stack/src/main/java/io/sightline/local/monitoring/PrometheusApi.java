package io.sightline.local.monitoring;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.local.http.JsonHttp;

/** The parts of Prometheus' HTTP API the launcher reads: instant queries and active targets. */
public final class PrometheusApi {

    /** One series of an instant vector. */
    public record Sample(Map<String, String> labels, double value) {}

    /** One active scrape target: its labels and scrape health ({@code up}, {@code down}, {@code unknown}). */
    public record Target(Map<String, String> labels, String health, String lastError) {}

    /** One loaded rule: {@code health} is {@code ok}, {@code err} or {@code unknown} (not evaluated yet). */
    public record Rule(String group, String name, String type, String health, String lastError) {}

    private final JsonHttp http;
    private final URI baseUrl;

    public PrometheusApi(JsonHttp http, URI baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** @throws IOException also when Prometheus rejects the expression (its error text is in the message) */
    public List<Sample> query(String promql) throws IOException {
        JsonNode data = data(http.get(baseUrl.resolve("/api/v1/query?query=" + JsonHttp.encode(promql))), promql);
        List<Sample> samples = new ArrayList<>();
        if (!"vector".equals(data.path("resultType").asText())) {
            samples.add(new Sample(Map.of(), data.path("result").path(1).asDouble(Double.NaN)));
            return samples;
        }
        for (JsonNode series : data.path("result")) {
            samples.add(new Sample(
                    labels(series.path("metric")), series.path("value").path(1).asDouble(Double.NaN)));
        }
        return samples;
    }

    public List<Target> activeTargets() throws IOException {
        JsonNode data = data(http.get(baseUrl.resolve("/api/v1/targets?state=active")), "targets");
        List<Target> targets = new ArrayList<>();
        for (JsonNode target : data.path("activeTargets")) {
            targets.add(new Target(
                    labels(target.path("labels")),
                    target.path("health").asText(),
                    target.path("lastError").asText("")));
        }
        return targets;
    }

    public List<Rule> rules() throws IOException {
        JsonNode data = data(http.get(baseUrl.resolve("/api/v1/rules")), "rules");
        List<Rule> rules = new ArrayList<>();
        for (JsonNode group : data.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                rules.add(new Rule(
                        group.path("name").asText(),
                        rule.path("name").asText(),
                        rule.path("type").asText(),
                        rule.path("health").asText(),
                        rule.path("lastError").asText("")));
            }
        }
        return rules;
    }

    private static JsonNode data(JsonNode response, String what) throws IOException {
        if (!"success".equals(response.path("status").asText())) {
            throw new IOException("Prometheus could not answer " + what + ": "
                    + response.path("error").asText(response.toString()));
        }
        return response.path("data");
    }

    static Map<String, String> labels(JsonNode object) {
        Map<String, String> labels = new LinkedHashMap<>();
        object.fields()
                .forEachRemaining(
                        field -> labels.put(field.getKey(), field.getValue().asText()));
        return labels;
    }
}
