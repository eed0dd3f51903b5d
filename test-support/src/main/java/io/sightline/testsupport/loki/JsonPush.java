package io.sightline.testsupport.loki;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads a JSON push body: {@code {"streams":[{"stream":{..},"values":[["<ns>","<line>",{metadata}]]}]}}. */
final class JsonPush {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonPush() {}

    /** @throws IOException when the body is not JSON; IllegalArgumentException when it is not a push */
    static List<Entry> decode(byte[] body) throws IOException {
        List<Entry> result = new ArrayList<>();
        for (JsonNode stream : JSON.readTree(body).required("streams")) {
            Map<String, String> labels = Collections.unmodifiableMap(strings(stream.required("stream"), TreeMap::new));
            for (JsonNode value : stream.required("values")) {
                if (value.size() < 2 || value.size() > 3) {
                    throw new IllegalArgumentException("a value is [\"<ns>\", \"<line>\"(, {metadata})], got " + value);
                }
                Map<String, String> metadata =
                        value.size() == 3 ? strings(value.get(2), LinkedHashMap::new) : new LinkedHashMap<>();
                if (!value.get(0).isTextual() || !value.get(1).isTextual()) {
                    throw new IllegalArgumentException("timestamp and line must be strings, got " + value);
                }
                result.add(new Entry(
                        labels,
                        Long.parseLong(value.get(0).textValue()),
                        value.get(1).textValue(),
                        Collections.unmodifiableMap(metadata)));
            }
        }
        return result;
    }

    /**
     * The number of entries without parsing: each starts with {@code ["} and a digit (its timestamp). Exact for
     * bodies whose lines hold no {@code ["<digit>}, as the benchmarks' lines; for counting at negligible cost.
     */
    static long countEntriesCheaply(byte[] body) {
        long count = 0;
        for (int i = 0; i + 2 < body.length; i++) {
            if (body[i] == '[' && body[i + 1] == '"' && body[i + 2] >= '0' && body[i + 2] <= '9') {
                count++;
            }
        }
        return count;
    }

    private static Map<String, String> strings(JsonNode object, Supplier<Map<String, String>> kind) {
        Map<String, String> map = kind.get();
        if (object.isObject()) {
            object.properties()
                    .forEach(field -> map.put(field.getKey(), field.getValue().textValue()));
        }
        if (!object.isObject() || map.containsValue(null)) {
            throw new IllegalArgumentException("expected an object of strings, got " + object);
        }
        return map;
    }
}
