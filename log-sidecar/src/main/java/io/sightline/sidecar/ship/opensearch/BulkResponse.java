package io.sightline.sidecar.ship.opensearch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.ship.SendResult;
import io.sightline.sidecar.ship.http.ResponseMapping;

/**
 * Reads a {@code _bulk} response (trimmed by {@link #FILTER_PATH}) item by item; items answer in
 * request order. 2xx is stored, 409 is "this id is already stored" (a resent batch) and so also
 * stored; 429 and 5xx items are returned for retry; a 400 for the document's own fields (a type
 * conflict with the index's mapping) is a {@link Conflict}, for the sink to send in a form that
 * cannot conflict; anything else is rejected for good, reported with the first such item's error.
 */
final class BulkResponse {

    /** Only what the sink reads: keeps the response small for big batches. */
    static final String FILTER_PATH = "errors,items.*.status,items.*.error.type,items.*.error.reason";

    private static final JsonFactory JSON = new JsonFactory();

    private BulkResponse() {}

    /** Errors OpenSearch (and Elasticsearch) give a document whose fields do not fit the index's mapping. */
    private static final Set<String> MAPPING_ERRORS = Set.of(
            "mapper_parsing_exception",
            "document_parsing_exception",
            "illegal_argument_exception",
            "strict_dynamic_mapping_exception");

    /** A record refused for its fields' types, with the server's error. */
    record Conflict(LogRecord record, String error) {}

    /** The result for the records that are dealt with, and the records refused for their fields. */
    record Outcome(SendResult result, List<Conflict> conflicts) {}

    static SendResult toResult(byte[] body, List<LogRecord> batch) throws IOException {
        return read(body, batch, false).result();
    }

    /** With {@code separateConflicts}, mapping conflicts are returned apart instead of being rejected. */
    static Outcome read(byte[] body, List<LogRecord> batch, boolean separateConflicts) throws IOException {
        List<Conflict> conflicts = new ArrayList<>();
        List<LogRecord> retry = new ArrayList<>();
        String retryCause = null;
        int rejected = 0;
        String rejectReason = null;
        int items = 0;
        try (JsonParser parser = JSON.createParser(body)) {
            expect(parser.nextToken() == JsonToken.START_OBJECT, "not a JSON object");
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("errors".equals(field) && value == JsonToken.VALUE_FALSE) {
                    return new Outcome(SendResult.ok(), List.of());
                }
                if (!"items".equals(field)) {
                    parser.skipChildren();
                    continue;
                }
                expect(value == JsonToken.START_ARRAY, "items is not an array");
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    expect(items < batch.size(), "more items than documents sent");
                    Item item = readItem(parser);
                    if (item.status == 409 || ResponseMapping.isSuccess(item.status)) {
                        // stored now or by an earlier attempt
                    } else if (separateConflicts && item.status == 400 && MAPPING_ERRORS.contains(item.type)) {
                        conflicts.add(new Conflict(batch.get(items), item.error));
                    } else if (item.status == 429 || item.status >= 500) {
                        retry.add(batch.get(items));
                        if (retryCause == null) {
                            retryCause = ResponseMapping.cause(item.status);
                        }
                    } else {
                        rejected++;
                        if (rejectReason == null) {
                            rejectReason = "HTTP " + item.status + ": " + item.error;
                        }
                    }
                    items++;
                }
            }
        }
        expect(items == batch.size(), items + " items for " + batch.size() + " documents");
        return new Outcome(
                new SendResult(
                        List.copyOf(retry),
                        retry.isEmpty() ? SendResult.RetryKind.NONE : SendResult.RetryKind.TRANSIENT,
                        retryCause,
                        null,
                        null,
                        rejected,
                        rejectReason,
                        0),
                List.copyOf(conflicts));
    }

    private record Item(int status, String type, String error) {}

    /** {@code {"create":{"status":400,"error":{"type":"...","reason":"..."}}}}, parser after its end. */
    private static Item readItem(JsonParser parser) throws IOException {
        expect(
                parser.nextToken() == JsonToken.FIELD_NAME && parser.nextToken() == JsonToken.START_OBJECT,
                "item without an action");
        int status = -1;
        String type = null;
        String reason = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if ("status".equals(field)) {
                status = parser.getIntValue();
            } else if ("error".equals(field) && parser.currentToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String errorField = parser.currentName();
                    parser.nextToken();
                    if ("type".equals(errorField)) {
                        type = parser.getValueAsString();
                    } else if ("reason".equals(errorField)) {
                        reason = parser.getValueAsString();
                    } else {
                        parser.skipChildren();
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
        expect(parser.nextToken() == JsonToken.END_OBJECT, "item with more than one action");
        expect(status > 0, "item without a status");
        return new Item(status, type, type == null && reason == null ? "no error details" : type + ": " + reason);
    }

    /** A response that does not match the request: the caller treats the attempt as failed and resends. */
    private static void expect(boolean condition, String problem) throws IOException {
        if (!condition) {
            throw new IOException("unexpected OpenSearch _bulk response: " + problem);
        }
    }
}
