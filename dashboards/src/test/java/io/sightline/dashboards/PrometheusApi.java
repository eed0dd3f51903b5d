package io.sightline.dashboards;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A minimal client of Prometheus's HTTP query API ({@code /api/v1/query}), for a Prometheus started by a test
 * or one scraping a running stack.
 */
public final class PrometheusApi {

    /** What {@code /api/v1/query} answered; {@code status} is "success" or "error" (then {@code errorType} says why). */
    public record QueryResult(
            int httpStatus, String status, String errorType, String error, String resultType, int resultCount) {

        public boolean succeeded() {
            return "success".equals(status);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;

    public PrometheusApi(URI base) {
        this.base = base;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public URI base() {
        return base;
    }

    /** Evaluates an instant query now. A PromQL parse error comes back as status "error", errorType "bad_data". */
    public QueryResult query(String expression) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/query"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "query=" + URLEncoder.encode(expression, StandardCharsets.UTF_8)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IOException(
                    "Prometheus at " + base + " answered HTTP " + response.statusCode()
                            + " with a body that is not JSON: " + response.body(),
                    e);
        }
        JsonNode data = body.path("data");
        return new QueryResult(
                response.statusCode(),
                body.path("status").asText(),
                body.path("errorType").asText(null),
                body.path("error").asText(null),
                data.path("resultType").asText(null),
                data.path("result").isArray() ? data.path("result").size() : 0);
    }

    /** True once Prometheus answers {@code /-/ready} with 200. */
    public boolean ready() {
        try {
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/-/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
