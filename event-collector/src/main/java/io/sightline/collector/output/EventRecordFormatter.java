package io.sightline.collector.output;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.sightline.collector.watch.KubeEvent;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * One occurrence as one JSON line (docs/event-collector.md, "Record"): the fields the log-sidecar ships to Loki
 * with {@code service_name="kubernetes-events"}. Absent optional values are left out rather than written as null.
 */
public final class EventRecordFormatter {

    public static final String SERVICE_NAME = "kubernetes-events";

    private static final DateTimeFormatter RFC3339_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final JsonFactory json = new JsonFactory();

    /** Appends the record and a newline to {@code out}. */
    public void format(KubeEvent event, ByteArrayOutputStream out) {
        try (JsonGenerator g = json.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("@timestamp", timestamp(event.occurredAt()));
            g.writeStringProperty("level", event.isWarning() ? "WARN" : "INFO");
            g.writeStringProperty("service_name", SERVICE_NAME);
            g.writeStringProperty("namespace", event.namespace());
            optional(g, "kind", event.kind());
            optional(g, "name", event.name());
            optional(g, "reason", event.reason());
            optional(g, "type", event.type());
            optional(g, "message", event.message());
            g.writeNumberProperty("count", event.count());
            g.writeStringProperty("first_seen", timestamp(event.firstSeen()));
            optional(g, "reporting_controller", event.reportingController());
            optional(g, "reporting_instance", event.reportingInstance());
            g.writeStringProperty("event_uid", event.uid());
            g.writeEndObject();
        }
        out.write('\n');
    }

    static String timestamp(Instant instant) {
        return RFC3339_MILLIS.format(instant);
    }

    private static void optional(JsonGenerator g, String name, String value) {
        if (value != null && !value.isEmpty()) {
            g.writeStringProperty(name, value);
        }
    }
}
