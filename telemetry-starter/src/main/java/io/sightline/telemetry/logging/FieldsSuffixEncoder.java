package io.sightline.telemetry.logging;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import org.slf4j.event.KeyValuePair;

/**
 * Text console lines with the event's MDC entries and key/value pairs, which Boot's console pattern
 * leaves out: {@code  {user_id=alice, http_status=200}} is added at the end of the first line of what
 * the wrapped encoder writes. The trace and span ids are left out (Boot's pattern shows them already).
 */
final class FieldsSuffixEncoder extends EncoderBase<ILoggingEvent> {

    /** Micrometer Tracing's MDC keys, which Boot's correlation pattern already shows. */
    private static final List<String> SHOWN_BY_BOOT = List.of("traceId", "spanId");

    private final Encoder<ILoggingEvent> delegate;

    FieldsSuffixEncoder(Encoder<ILoggingEvent> delegate) {
        this.delegate = delegate;
    }

    @Override
    public byte[] headerBytes() {
        return this.delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        byte[] line = this.delegate.encode(event);
        String fields = fields(event);
        if (fields.isEmpty()) {
            return line;
        }
        int end = firstLineEnd(line);
        byte[] suffix = fields.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(line.length + suffix.length);
        out.write(line, 0, end);
        out.write(suffix, 0, suffix.length);
        out.write(line, end, line.length - end);
        return out.toByteArray();
    }

    @Override
    public byte[] footerBytes() {
        return this.delegate.footerBytes();
    }

    /** Where the first line's separator starts ('\n', or the '\r' before it); UTF-8 never has these inside a character. */
    private static int firstLineEnd(byte[] line) {
        for (int i = 0; i < line.length; i++) {
            if (line[i] == '\n') {
                return (i > 0 && line[i - 1] == '\r') ? i - 1 : i;
            }
        }
        return line.length;
    }

    private static String fields(ILoggingEvent event) {
        StringBuilder fields = new StringBuilder();
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            mdc.forEach((key, value) -> {
                if (!SHOWN_BY_BOOT.contains(key)) {
                    append(fields, key, value);
                }
            });
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            pairs.forEach(pair -> append(fields, pair.key, pair.value));
        }
        return fields.isEmpty() ? "" : fields.append('}').toString();
    }

    private static void append(StringBuilder fields, String key, Object value) {
        fields.append(fields.isEmpty() ? " {" : ", ").append(key).append('=').append(value);
    }
}
