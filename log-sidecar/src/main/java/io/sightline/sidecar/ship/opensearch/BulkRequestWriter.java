package io.sightline.sidecar.ship.opensearch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.parse.LogRecord;

/**
 * Writes a {@code _bulk} body (NDJSON): for every record a {@code create} action with the daily index
 * and the deterministic id, then the document. The document is the record's own JSON object when the
 * line is one (else {@code {"message": line}}) plus the contract's metadata fields and {@code @timestamp}.
 * Those fields are the sidecar's: a same-named field in the line is replaced, never duplicated
 * (OpenSearch refuses duplicate keys).
 */
final class BulkRequestWriter {

    /** The original line, in the conflict-free form of a document whose own fields were refused. */
    static final String ORIGINAL_FIELD = "sightline_original";
    /** Why the document's own form was refused (the server's error), in the conflict-free form. */
    static final String CONFLICT_FIELD = "sightline_conflict";

    /** Lines with duplicate keys become {@code {"message": line}} instead of being refused by OpenSearch. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final Set<String> SIDECAR_FIELDS =
            Set.of("@timestamp", "namespace", "pod", "node", "container", "cluster", "stream");
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private final Identity identity;
    private final IndexPattern index;

    BulkRequestWriter(Identity identity, IndexPattern index) {
        this.identity = identity;
        this.index = index;
    }

    byte[] write(List<LogRecord> batch) throws IOException {
        return write(batch, (record, i, document) -> {
            if (!copyJsonObject(record, document)) {
                document.reset();
                writePlainText(record, document);
            }
        });
    }

    /**
     * The documents of records that the index refused for their own fields (a field of another type
     * in the same index), in a form that cannot conflict: the original line as text, the contract's
     * fields the sidecar recognised, and why the own form was refused; same index and ids as before.
     */
    byte[] writeConflictFree(List<LogRecord> records, List<String> conflicts) throws IOException {
        return write(records, (record, i, document) -> {
            try (JsonGenerator json = JSON.createGenerator(document, JsonEncoding.UTF8)) {
                json.writeStartObject();
                json.writeStringField(ORIGINAL_FIELD, record.line());
                json.writeStringField(CONFLICT_FIELD, conflicts.get(i));
                writeIfSet(json, "level", record.level());
                writeIfSet(json, "service_name", record.serviceName());
                writeIfSet(json, "service_version", record.serviceVersion());
                writeIfSet(json, "trace_id", record.traceId());
                writeIfSet(json, "span_id", record.spanId());
                writeSidecarFields(record, json);
                json.writeEndObject();
            }
        });
    }

    @FunctionalInterface
    private interface DocumentWriter {
        void write(LogRecord record, int index, ByteArrayOutputStream document) throws IOException;
    }

    private byte[] write(List<LogRecord> records, DocumentWriter documents) throws IOException {
        int estimate = 0;
        for (LogRecord record : records) {
            estimate += record.approximateBytes() + 256;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(estimate);
        ByteArrayOutputStream document = new ByteArrayOutputStream(1024);
        DocumentIds ids = new DocumentIds();
        for (int i = 0; i < records.size(); i++) {
            LogRecord record = records.get(i);
            String action = "{\"create\":{\"_index\":\"" + index.nameFor(record.timestampNanos()) + "\",\"_id\":\""
                    + ids.idFor(record.shippedAs(identity), record) + "\"}}\n";
            body.writeBytes(action.getBytes(StandardCharsets.US_ASCII));
            document.reset();
            documents.write(record, i, document);
            document.writeTo(body);
            body.write('\n');
        }
        return body.toByteArray();
    }

    /** False when the line is not exactly one JSON object (then nothing useful is in {@code out}). */
    private boolean copyJsonObject(LogRecord record, ByteArrayOutputStream out) {
        byte[] line = record.lineBytes();
        if (line.length == 0 || line[0] != '{') {
            return false;
        }
        try (JsonParser parser = JSON.createParser(line);
                JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            parser.nextToken();
            json.writeStartObject();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (SIDECAR_FIELDS.contains(name)) {
                    parser.skipChildren();
                } else {
                    json.writeFieldName(name);
                    json.copyCurrentStructure(parser);
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return false;
            }
            writeSidecarFields(record, json);
            json.writeEndObject();
            return true;
        } catch (IOException notOneJsonObject) {
            return false;
        }
    }

    private void writePlainText(LogRecord record, ByteArrayOutputStream out) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("message", record.line());
            writeSidecarFields(record, json);
            json.writeEndObject();
        }
    }

    private void writeSidecarFields(LogRecord record, JsonGenerator json) throws IOException {
        Identity identity = record.shippedAs(this.identity);
        writeIfSet(json, "namespace", identity.namespace());
        writeIfSet(json, "pod", identity.pod());
        writeIfSet(json, "node", identity.node());
        writeIfSet(json, "container", identity.container());
        writeIfSet(json, "cluster", identity.cluster());
        writeIfSet(json, "stream", record.stream());
        long nanos = record.timestampNanos();
        json.writeStringField(
                "@timestamp",
                TIMESTAMP.format(Instant.ofEpochSecond(
                        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L))));
    }

    private static void writeIfSet(JsonGenerator json, String name, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            json.writeStringField(name, value);
        }
    }
}
