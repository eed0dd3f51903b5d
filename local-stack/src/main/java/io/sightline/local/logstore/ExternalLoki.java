package io.sightline.local.logstore;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.local.http.JsonHttp;

/**
 * A Loki the user runs ({@code --loki-url}). Records are counted with LogQL instant queries over the run so far;
 * where each name lives follows contract section 3: {@code namespace}, {@code service_name} and {@code container}
 * are stream labels, {@code pod}, {@code node} and {@code level} structured metadata, everything else a field of
 * the JSON log line.
 */
public final class ExternalLoki implements LogStore {

    /** Contract section 3; pinned by {@code ContractTest}. */
    public static final Set<String> STREAM_LABELS = Set.of("namespace", "container", "service_name", "cluster");

    /** Contract section 3; pinned by {@code ContractTest}. */
    public static final Set<String> STRUCTURED_METADATA =
            Set.of("pod", "node", "level", "trace_id", "span_id", "service_version", "stream");

    private final JsonHttp http;
    private final URI url;
    private final Instant connectedAt = Instant.now();

    private ExternalLoki(JsonHttp http, URI url) {
        this.http = http;
        this.url = url;
    }

    /** @throws IOException when Loki does not answer {@code /ready} with 200, with what to do about it */
    public static ExternalLoki connect(JsonHttp http, URI url) throws IOException {
        URI ready = url.resolve("/ready");
        HttpResponse<String> response;
        try {
            response = http.client()
                    .send(
                            HttpRequest.newBuilder(ready)
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to Loki", e);
        } catch (IOException e) {
            throw new IOException(
                    "cannot reach Loki at " + url + " (" + e + "); start it, or drop --loki-url to use the "
                            + "embedded OpenSearch",
                    e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("Loki at " + url + " is not ready (" + ready + " answered " + response.statusCode()
                    + "); wait until it is, or drop --loki-url to use the embedded OpenSearch");
        }
        return new ExternalLoki(http, url);
    }

    @Override
    public String description() {
        return "Loki";
    }

    @Override
    public URI url() {
        return url;
    }

    @Override
    public Map<String, String> sidecarEnvironment() {
        return Map.of("SIGHTLINE_SINK", "loki", "LOKI_URL", url.toString());
    }

    @Override
    public long count(String namespace, String pod) throws IOException {
        return countOverRun(selector(namespace) + " | pod=" + quote(pod));
    }

    @Override
    public long count(String namespace, String pod, String container) throws IOException {
        return countOverRun(
                "{namespace=" + quote(namespace) + ", container=" + quote(container) + "} | pod=" + quote(pod));
    }

    @Override
    public Map<String, Long> recordsMissing(String namespace, List<String> fields) throws IOException {
        Map<String, Long> missing = new LinkedHashMap<>();
        for (String field : fields) {
            String logs;
            if (STREAM_LABELS.contains(field)) {
                logs = "{namespace=" + quote(namespace) + ", " + field + "=\"\"}";
            } else if (STRUCTURED_METADATA.contains(field)) {
                logs = selector(namespace) + " | " + field + "=\"\"";
            } else {
                logs = selector(namespace) + " | json sightline_field=" + quote("[" + quote(field) + "]")
                        + " | sightline_field=\"\"";
            }
            missing.put(field, countOverRun(logs));
        }
        return missing;
    }

    /** {@code sum(count_over_time(<logs> [<since connect>]))} at now; an empty result is zero records. */
    long countOverRun(String logs) throws IOException {
        long seconds = Duration.between(connectedAt, Instant.now()).toSeconds() + 60;
        String query = "sum(count_over_time(" + logs + " [" + seconds + "s]))";
        JsonNode response = http.get(url.resolve("/loki/api/v1/query?query=" + JsonHttp.encode(query)));
        if (!"success".equals(response.path("status").asText())) {
            throw new IOException("Loki could not answer " + query + ": " + response);
        }
        JsonNode result = response.path("data").path("result");
        return result.isEmpty()
                ? 0
                : (long) result.path(0).path("value").path(1).asDouble();
    }

    private static String selector(String namespace) {
        return "{namespace=" + quote(namespace) + "}";
    }

    /** A LogQL double-quoted string. */
    static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Override
    public void close() {
        // the user's Loki keeps running
    }
}
