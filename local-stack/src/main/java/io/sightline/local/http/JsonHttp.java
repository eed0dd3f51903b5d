package io.sightline.local.http;

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

/** Small JSON-over-HTTP client for the APIs the launcher reads (OpenSearch, Prometheus, Alertmanager, Loki). */
public final class JsonHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client;

    public JsonHttp(HttpClient client) {
        this.client = client;
    }

    public HttpClient client() {
        return client;
    }

    public JsonNode get(URI uri) throws IOException {
        return send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build());
    }

    public JsonNode post(URI uri, String jsonBody) throws IOException {
        return send(HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody))
                .build());
    }

    /** Plain-text GET (Prometheus exposition format). */
    public String getText(URI uri) throws IOException {
        HttpResponse<String> response =
                exchange(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build());
        requireSuccess(uri, response);
        return response.body();
    }

    public static JsonNode parse(String json) throws IOException {
        return JSON.readTree(json);
    }

    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot serialise " + value.getClass().getName() + " as JSON", e);
        }
    }

    public static String encode(String queryValue) {
        return URLEncoder.encode(queryValue, StandardCharsets.UTF_8);
    }

    private JsonNode send(HttpRequest request) throws IOException {
        HttpResponse<String> response = exchange(request);
        requireSuccess(request.uri(), response);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> exchange(HttpRequest request) throws IOException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling " + request.uri(), e);
        }
    }

    private static void requireSuccess(URI uri, HttpResponse<String> response) throws IOException {
        if (response.statusCode() / 100 != 2) {
            String body = response.body();
            throw new IOException("HTTP " + response.statusCode() + " from " + uri + ": "
                    + (body.length() > 500 ? body.substring(0, 500) + "…" : body));
        }
    }
}
