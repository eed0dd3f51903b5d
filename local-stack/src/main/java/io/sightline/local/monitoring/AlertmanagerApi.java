package io.sightline.local.monitoring;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.local.http.JsonHttp;
import io.sightline.testsupport.prometheus.PrometheusApi;

/** Reads the alerts Alertmanager holds (API v2). */
public final class AlertmanagerApi {

    /** An alert as Alertmanager holds it; {@code state} is {@code active}, {@code suppressed} or {@code unprocessed}. */
    public record Alert(Map<String, String> labels, String state) {
        public String name() {
            return labels.getOrDefault("alertname", "?");
        }
    }

    private final JsonHttp http;
    private final URI baseUrl;

    public AlertmanagerApi(JsonHttp http, URI baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public List<Alert> alerts() throws IOException {
        List<Alert> alerts = new ArrayList<>();
        for (JsonNode alert : http.get(baseUrl.resolve("/api/v2/alerts"))) {
            alerts.add(new Alert(
                    PrometheusApi.labels(alert.path("labels")),
                    alert.path("status").path("state").asText()));
        }
        return alerts;
    }
}
