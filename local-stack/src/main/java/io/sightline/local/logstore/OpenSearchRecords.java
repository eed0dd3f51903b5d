package io.sightline.local.logstore;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.local.http.JsonHttp;

/**
 * Counts shipped records in OpenSearch over its REST API, across every index, so it does not depend on the
 * sidecar's index naming. Phrase matches on {@code namespace} and {@code pod} work whether the sidecar mapped
 * them as {@code keyword} or dynamic mapping made them {@code text}.
 */
final class OpenSearchRecords {

    private final JsonHttp http;
    private final URI url;

    OpenSearchRecords(JsonHttp http, URI url) {
        this.http = http;
        this.url = url;
    }

    long count(String namespace, String pod) throws IOException {
        refresh();
        return count(Map.of("bool", Map.of("filter", List.of(phrase("namespace", namespace), phrase("pod", pod)))));
    }

    long count(String namespace, String pod, String container) throws IOException {
        refresh();
        return count(Map.of(
                "bool",
                Map.of(
                        "filter",
                        List.of(phrase("namespace", namespace), phrase("pod", pod), phrase("container", container)))));
    }

    Map<String, Long> recordsMissing(String namespace, List<String> fields) throws IOException {
        refresh();
        Map<String, Long> missing = new LinkedHashMap<>();
        for (String field : fields) {
            missing.put(
                    field,
                    count(Map.of(
                            "bool",
                            Map.of(
                                    "filter", List.of(phrase("namespace", namespace)),
                                    "must_not", List.of(Map.of("exists", Map.of("field", field)))))));
        }
        return missing;
    }

    /** Makes every acknowledged write visible to the counts that follow. */
    private void refresh() throws IOException {
        http.post(url.resolve("/_refresh"), "{}");
    }

    private long count(Map<String, Object> query) throws IOException {
        JsonNode response = http.post(url.resolve("/_count"), JsonHttp.toJson(Map.of("query", query)));
        if (!response.path("count").isNumber()) {
            throw new IOException("OpenSearch _count answered without a count: " + response);
        }
        return response.path("count").asLong();
    }

    private static Map<String, Object> phrase(String field, String value) {
        return Map.of("match_phrase", Map.of(field, value));
    }
}
