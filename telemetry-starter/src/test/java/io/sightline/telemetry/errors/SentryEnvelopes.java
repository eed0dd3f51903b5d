package io.sightline.telemetry.errors;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decodes Sentry envelopes as the Sentry server does: a JSON header line, then items, each a JSON
 * item header line followed by its payload ({@code length} bytes when the header gives a length,
 * else up to the next newline).
 */
final class SentryEnvelopes {

    private static final JsonMapper json = JsonMapper.builder().build();

    record Item(JsonNode header, JsonNode payload) {}

    private SentryEnvelopes() {}

    static List<Item> items(byte[] envelope) {
        int headerEnd = lineEnd(envelope, 0);
        JsonNode header = json.readTree(new String(envelope, 0, headerEnd, StandardCharsets.UTF_8));
        if (!header.has("event_id") && !header.has("sent_at") && !header.has("dsn")) {
            throw new IllegalArgumentException("Not a Sentry envelope header: " + header);
        }
        List<Item> items = new ArrayList<>();
        int position = headerEnd + 1;
        while (position < envelope.length) {
            int itemHeaderEnd = lineEnd(envelope, position);
            JsonNode itemHeader =
                    json.readTree(new String(envelope, position, itemHeaderEnd - position, StandardCharsets.UTF_8));
            int payloadStart = itemHeaderEnd + 1;
            int payloadEnd = itemHeader.has("length")
                    ? payloadStart + itemHeader.get("length").asInt()
                    : lineEnd(envelope, payloadStart);
            String payload = new String(envelope, payloadStart, payloadEnd - payloadStart, StandardCharsets.UTF_8);
            items.add(new Item(itemHeader, payload.startsWith("{") ? json.readTree(payload) : null));
            position = payloadEnd + 1;
        }
        return items;
    }

    static List<JsonNode> events(byte[] envelope) {
        return items(envelope).stream()
                .filter((item) -> "event".equals(item.header().path("type").asString()))
                .map(Item::payload)
                .toList();
    }

    private static int lineEnd(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return bytes.length;
    }
}
