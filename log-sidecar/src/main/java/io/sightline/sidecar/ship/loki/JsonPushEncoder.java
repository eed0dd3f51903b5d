package io.sightline.sidecar.ship.loki;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sightline.sidecar.parse.LogRecord;

/**
 * Loki's JSON push format ({@code LOKI_FORMAT=json}):
 * {@code {"streams":[{"stream":{labels},"values":[["<epoch ns>","<line>",{metadata}]]}]}}.
 * Jackson's generator does the escaping, so any text (control characters, quotes, non-BMP
 * characters) arrives unchanged.
 */
final class JsonPushEncoder implements LokiEncoder {

    private static final JsonFactory JSON = new JsonFactory();

    private final LokiStreams streams;

    JsonPushEncoder(LokiStreams streams) {
        this.streams = streams;
    }

    @Override
    public String contentType() {
        return "application/json";
    }

    @Override
    public byte[] encode(List<LokiStream> push) throws IOException {
        int estimate = 64;
        for (LokiStream stream : push) {
            for (LogRecord record : stream.entries()) {
                estimate += record.approximateBytes() + 64;
            }
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(estimate);
        try (JsonGenerator json = JSON.createGenerator(buffer, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeArrayFieldStart("streams");
            for (LokiStream stream : push) {
                writeStream(json, stream);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return buffer.toByteArray();
    }

    private void writeStream(JsonGenerator json, LokiStream stream) throws IOException {
        json.writeStartObject();
        json.writeObjectFieldStart("stream");
        StreamLabels labels = stream.labels();
        for (int i = 0; i < labels.names().size(); i++) {
            json.writeStringField(labels.names().get(i), labels.values().get(i));
        }
        json.writeEndObject();
        json.writeArrayFieldStart("values");
        for (LogRecord record : stream.entries()) {
            json.writeStartArray();
            json.writeString(Long.toString(record.timestampNanos()));
            json.writeString(record.line());
            boolean metadataStarted = false;
            for (int i = 0; i < LokiStreams.METADATA_NAMES.length; i++) {
                String value = streams.metadataValue(i, record);
                if (value != null) {
                    if (!metadataStarted) {
                        json.writeStartObject();
                        metadataStarted = true;
                    }
                    json.writeStringField(LokiStreams.METADATA_NAMES[i], value);
                }
            }
            if (metadataStarted) {
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeEndArray();
        json.writeEndObject();
    }
}
