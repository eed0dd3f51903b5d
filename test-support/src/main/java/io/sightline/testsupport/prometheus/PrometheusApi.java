package io.sightline.testsupport.prometheus;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A client of the parts of Prometheus's HTTP API that tests and the local-stack launcher read: instant queries,
 * active targets, loaded rules and readiness.
 */
public final class PrometheusApi {

    /** One series of an instant vector (or the value of a scalar, without labels). */
    public record Sample(Map<String, String> labels, double value) {}

    /**
     * What {@code /api/v1/query} answered. {@code status} is "success" or "error"; then {@code errorType} says why
     * ("bad_data" for an expression Prometheus cannot parse) and {@code error} how.
     */
    public record QueryResult(
            int httpStatus, String status, String errorType, String error, String resultType, List<Sample> samples) {

        public boolean succeeded() {
            return "success".equals(status);
        }

        public int resultCount() {
            return samples.size();
        }
    }

    /** One active scrape target: its pool, URL, labels and health ({@code up}, {@code down}, {@code unknown}). */
    public record Target(
            String scrapePool, String scrapeUrl, Map<String, String> labels, String health, String lastError) {}

    /** One loaded rule: {@code health} is {@code ok}, {@code err} or {@code unknown} (not evaluated yet). */
    public record Rule(String group, String name, String type, String health, String lastError) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI baseUrl;

    public PrometheusApi(HttpClient http, URI baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    /** A client with its own HTTP client. */
    public PrometheusApi(URI baseUrl) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), baseUrl);
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * Evaluates an instant query now, posted as a form (dashboard queries can be longer than a URL may be). An
     * expression Prometheus refuses is a result with status "error", not an exception.
     *
     * @throws IOException when Prometheus cannot be reached or does not answer JSON
     */
    public QueryResult evaluate(String expression) throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(baseUrl.resolve("/api/v1/query"))
                .timeout(QUERY_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "query=" + URLEncoder.encode(expression, StandardCharsets.UTF_8)))
                .build());
        JsonNode body = json(response);
        JsonNode data = body.path("data");
        return new QueryResult(
                response.statusCode(),
                body.path("status").asText(),
                body.path("errorType").asText(null),
                body.path("error").asText(null),
                data.path("resultType").asText(null),
                samples(data));
    }

    /** @throws IOException also when Prometheus refuses the expression (its error text is in the message) */
    public List<Sample> query(String expression) throws IOException {
        QueryResult result = evaluate(expression);
        if (!result.succeeded()) {
            throw new IOException("Prometheus could not answer " + expression + ": " + result.error());
        }
        return result.samples();
    }

    public List<Target> activeTargets() throws IOException {
        List<Target> targets = new ArrayList<>();
        for (JsonNode target :
                data(baseUrl.resolve("/api/v1/targets?state=active")).path("activeTargets")) {
            targets.add(new Target(
                    target.path("scrapePool").asText(),
                    target.path("scrapeUrl").asText(),
                    labels(target.path("labels")),
                    target.path("health").asText(),
                    target.path("lastError").asText("")));
        }
        return targets;
    }

    public List<Rule> rules() throws IOException {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode group : data(baseUrl.resolve("/api/v1/rules")).path("groups")) {
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

    /** True once Prometheus answers {@code /-/ready} with 200; false while it starts or cannot be reached. */
    public boolean ready() {
        try {
            return send(HttpRequest.newBuilder(baseUrl.resolve("/-/ready"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** A JSON object of label names to values (Prometheus and Alertmanager answer labels alike), in its order. */
    public static Map<String, String> labels(JsonNode object) {
        Map<String, String> labels = new LinkedHashMap<>();
        object.properties()
                .forEach(field -> labels.put(field.getKey(), field.getValue().asText()));
        return labels;
    }

    private static List<Sample> samples(JsonNode data) {
        List<Sample> samples = new ArrayList<>();
        JsonNode result = data.path("result");
        switch (data.path("resultType").asText()) {
            case "vector" ->
                result.forEach(
                        series -> samples.add(new Sample(labels(series.path("metric")), value(series.path("value")))));
            case "scalar", "string" -> samples.add(new Sample(Map.of(), value(result)));
            default -> {} // no result (an error), or a range vector, which no caller asks for
        }
        return samples;
    }

    /** A [unixTime, "value"] pair's value. */
    private static double value(JsonNode pair) {
        return pair.path(1).asDouble(Double.NaN);
    }

    private JsonNode data(URI uri) throws IOException {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(uri).timeout(QUERY_TIMEOUT).build());
        JsonNode body = json(response);
        if (!"success".equals(body.path("status").asText())) {
            throw new IOException("Prometheus could not answer " + uri + ": "
                    + body.path("error").asText(response.body()));
        }
        return body.path("data");
    }

    private JsonNode json(HttpResponse<String> response) throws IOException {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IOException(
                    "Prometheus at " + baseUrl + " answered HTTP " + response.statusCode()
                            + " with a body that is not JSON: " + response.body(),
                    e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling " + request.uri(), e);
        }
    }
}
