package io.sightline.sidecar.ship;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.parse.LogRecord;

/**
 * Debugging sink: one JSON object per record on standard output with the Loki labels, the
 * structured metadata, where the record came from ({@code file_id}, {@code offset}) and the
 * original {@code line}. Writes straight to file descriptor 1 (not {@link System#out}, which hides
 * write errors), flushed per batch, so a batch is acknowledged only once it is written.
 */
public final class StdoutSink implements Sink {

    private final Identity identity;
    private final OutputStream out;
    private final JsonGenerator json;

    public StdoutSink(Identity identity) throws IOException {
        this(identity, new FileOutputStream(FileDescriptor.out));
    }

    StdoutSink(Identity identity, OutputStream target) throws IOException {
        this.identity = identity;
        this.out = new BufferedOutputStream(target, 1 << 16);
        this.json = new JsonFactory().createGenerator(out).disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        json.setRootValueSeparator(null);
    }

    @Override
    public String name() {
        return "stdout";
    }

    @Override
    public synchronized SendResult send(List<LogRecord> batch) throws IOException {
        for (LogRecord record : batch) {
            Identity identity = record.shippedAs(this.identity);
            json.writeStartObject();
            json.writeStringField(
                    "@timestamp",
                    Instant.ofEpochSecond(0, record.timestampNanos()).toString());
            field("namespace", identity.namespace());
            field("service_name", record.serviceName());
            field("container", identity.container());
            field("cluster", identity.cluster());
            field("pod", identity.pod());
            field("node", identity.node());
            field("stream", record.stream());
            field("level", record.level());
            field("trace_id", record.traceId());
            field("span_id", record.spanId());
            field("service_version", record.serviceVersion());
            json.writeStringField("file_id", record.position().fileId());
            json.writeNumberField("offset", record.position().startOffset());
            json.writeStringField("line", record.line());
            json.writeEndObject();
            json.writeRaw('\n');
        }
        json.flush();
        out.flush();
        return SendResult.ok();
    }

    private void field(String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }
}
