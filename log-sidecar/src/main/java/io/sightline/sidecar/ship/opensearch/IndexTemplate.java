package io.sightline.sidecar.ship.opensearch;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.ship.http.HttpSender;
import io.sightline.sidecar.ship.http.HttpSettings;
import io.sightline.sidecar.ship.http.ResponseMapping;

/**
 * Sightline's index template for the indices the sink writes: the telemetry contract's fields with
 * fixed types (identity and record fields {@code keyword}, messages {@code text}, {@code @timestamp}
 * {@code date}), and the fields of the conflict-free form ({@link BulkRequestWriter#writeConflictFree}).
 * So the first document of a day cannot give {@code level} or {@code namespace} a type the dashboards
 * do not expect, and the conflict-free form can never conflict itself.
 * <p>Installed once, at the first send, with {@code create=true}: a template of the same name is left
 * as it is (an operator's own). Without the privilege to install it, a warning, and shipping goes on.
 */
final class IndexTemplate {

    static final List<String> KEYWORDS = List.of(
            "namespace",
            "pod",
            "node",
            "container",
            "cluster",
            "stream",
            "service_name",
            "service_version",
            "level",
            "logger",
            "thread",
            "trace_id",
            "span_id",
            "error_type",
            "stack_hash",
            BulkRequestWriter.CONFLICT_FIELD);
    static final List<String> TEXTS =
            List.of("message", "error_message", "stack_trace", BulkRequestWriter.ORIGINAL_FIELD);

    private final HttpSender sender;
    private final URI uri;
    private final byte[] body;
    private final Diagnostics diagnostics;
    private volatile boolean settled;

    IndexTemplate(HttpSender sender, HttpSettings http, IndexPattern index, Diagnostics diagnostics) {
        this.sender = sender;
        String pattern = index.wildcard();
        this.uri = http.resolve("/_index_template/" + name(pattern) + "?create=true");
        this.body = body(pattern).getBytes(StandardCharsets.UTF_8);
        this.diagnostics = diagnostics;
    }

    /** {@code sightline-logs} for {@code logs-*}. */
    static String name(String pattern) {
        return "sightline-" + pattern.replaceAll("[^a-z0-9_-]+", "-").replaceAll("-+$", "");
    }

    static String body(String pattern) {
        StringBuilder properties = new StringBuilder("\"@timestamp\":{\"type\":\"date\"}");
        KEYWORDS.forEach(field -> properties.append(",\"").append(field).append("\":{\"type\":\"keyword\"}"));
        TEXTS.forEach(field -> properties.append(",\"").append(field).append("\":{\"type\":\"text\"}"));
        // priority above the default 0, so that a catch-all template of the cluster does not collide with it
        return "{\"index_patterns\":[\"" + pattern + "\"],\"priority\":200,"
                + "\"_meta\":{\"managed_by\":\"sightline log-sidecar\",\"fields\":\"docs/telemetry-contract.md\"},"
                + "\"template\":{\"mappings\":{\"properties\":{" + properties + "}}}}";
    }

    /** Installs the template unless that was settled already; a connection failure leaves it for the next send. */
    void ensureInstalled() throws IOException {
        if (settled) {
            return;
        }
        HttpSender.Response response = sender.send("PUT", uri, "application/json", body, Map.of(), 16 << 10);
        settled = true;
        String answer = new String(response.body(), StandardCharsets.UTF_8);
        if (ResponseMapping.isSuccess(response.status())) {
            diagnostics.info("installed the index template", "uri", uri);
        } else if (response.status() == 400 && answer.contains("already exists")) {
            diagnostics.info("an index template of that name exists; it is left as it is", "uri", uri);
        } else {
            diagnostics.warn(
                    "cannot install the index template (it needs the manage_index_templates privilege);"
                            + " shipping goes on, and documents whose fields conflict are still kept in the"
                            + " conflict-free form",
                    "uri",
                    uri,
                    "answer",
                    ResponseMapping.message(response.status(), response.body()),
                    "template",
                    new String(body, StandardCharsets.UTF_8));
        }
    }
}
