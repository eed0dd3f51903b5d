package io.sightline.sidecar.parse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sightline.sidecar.source.SourcePosition;

/**
 * Turns lines into {@link LogRecord}s. A line that is a JSON object (telemetry-starter's format,
 * contract section 2) gives its {@code @timestamp}, {@code level}, {@code service_name},
 * {@code service_version}, {@code trace_id} and {@code span_id}; anything else is plain text
 * stamped with the time it was read. A one-pass scan of the bytes ({@link JsonFieldScan}) reads the
 * plain records telemetry-starter writes; any other line goes to Jackson's streaming parser, which reads the bytes once without
 * building a tree, so recognising a record costs little more than scanning it.
 * <p>When a namespace field is configured ({@code SIGHTLINE_NAMESPACE_FROM_FIELD}), its top-level string
 * value is the record's {@link LogRecord#namespace()}.
 * <p>Any content is a record, never an exception: a line that starts like a JSON object but cannot be
 * read as one (broken, truncated, nested deeper than the parser allows, a number or name too long,
 * invalid UTF-8) is plain text, and {@code unparsed} is told, once per such line.
 */
public final class RecordParser {

    private final JsonFieldScan scan;
    private final Runnable unparsed;
    private final String namespaceField;
    private final LogRecord.Builder record = new LogRecord.Builder();
    private final Rfc3339Timestamps timestamps = new Rfc3339Timestamps();
    // level, service name, version and namespace repeat on nearly every line: their last values are kept
    private final RepeatedValue level = new RepeatedValue();
    private final RepeatedValue service = new RepeatedValue();
    private final RepeatedValue version = new RepeatedValue();
    private final RepeatedValue namespace = new RepeatedValue();

    /** {@code unparsed} runs for each line that looked like a JSON object but was not one. */
    public RecordParser(Runnable unparsed) {
        this(unparsed, null);
    }

    /** {@code namespaceField}: the top-level field naming a record's namespace, or null for none. */
    public RecordParser(Runnable unparsed, String namespaceField) {
        this.unparsed = unparsed;
        this.namespaceField = namespaceField;
        // the namespace first: a field named both ways is the namespace, as on the Jackson path
        this.scan = new JsonFieldScan(
                namespaceField, "@timestamp", "level", "service_name", "service_version", "trace_id", "span_id");
    }

    /** A complete line as read ({@code bytes[offset, offset+length)}, UTF-8, without its line break). */
    public LogRecord parseLine(byte[] bytes, int offset, int length, long readTimeNanos, SourcePosition position) {
        return parseLine(bytes, offset, length, readTimeNanos, position, null, null, null);
    }

    /**
     * A complete line of container {@code origin}'s output {@code stream} (the node agent), made into its record
     * at once: its service name is the line's own, else {@code defaultServiceName}. With a null origin, the
     * sidecar's record ({@link #parseLine(byte[], int, int, long, SourcePosition)}).
     */
    public LogRecord parseLine(
            byte[] bytes,
            int offset,
            int length,
            long readTimeNanos,
            SourcePosition position,
            Identity origin,
            String stream,
            String defaultServiceName) {
        boolean object = looksLikeJsonObject(bytes, offset, length);
        if (object && scan.scan(bytes, offset, length)) {
            // an ASCII line is its own UTF-8: copied, not decoded
            byte[] line = Utf8.valid(bytes, offset, length, scan.ascii());
            return fromScan(bytes, line, readTimeNanos, position, origin, stream, defaultServiceName);
        }
        byte[] line = Utf8.valid(bytes, offset, length, false);
        if (object) {
            LogRecord record =
                    parseJson(bytes, offset, length, line, readTimeNanos, position, origin, stream, defaultServiceName);
            if (record != null) {
                return record;
            }
            unparsed.run();
        }
        return record.start(line, readTimeNanos, position)
                .serviceName(defaultServiceName)
                .container(origin, stream)
                .build();
    }

    /** A container's record (the node agent's) without a service name of its own gets its container's. */
    private static String serviceOf(String own, Identity origin, String defaultServiceName) {
        return origin != null && (own == null || own.isEmpty()) ? defaultServiceName : own;
    }

    /** A plain text record (e.g. lines joined into one), stamped with the time it was read. */
    public LogRecord plain(String text, long readTimeNanos, SourcePosition position) {
        return record.start(text.getBytes(StandardCharsets.UTF_8), readTimeNanos, position)
                .build();
    }

    public static boolean looksLikeJsonObject(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end && (bytes[i] == ' ' || bytes[i] == '\t')) {
            i++;
        }
        return i < end && bytes[i] == '{';
    }

    /** The Jackson path alone (null: not a JSON object); tests hold the fast scan to it. */
    LogRecord parseJson(
            byte[] bytes, int offset, int length, String line, long readTimeNanos, SourcePosition position) {
        return parseJson(
                bytes,
                offset,
                length,
                line.getBytes(StandardCharsets.UTF_8),
                readTimeNanos,
                position,
                null,
                null,
                null);
    }

    private LogRecord parseJson(
            byte[] bytes,
            int offset,
            int length,
            byte[] line,
            long readTimeNanos,
            SourcePosition position,
            Identity origin,
            String stream,
            String defaultServiceName) {
        String timestamp = null;
        String level = null;
        String service = null;
        String version = null;
        String traceId = null;
        String spanId = null;
        String namespace = null;
        try (JsonParser parser = Jackson.FACTORY.createParser(bytes, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value != JsonToken.VALUE_STRING) {
                    parser.skipChildren();
                    continue;
                }
                if (name.equals(namespaceField)) {
                    namespace = this.namespace.of(parser);
                    continue;
                }
                switch (name) {
                    case "@timestamp" -> timestamp = parser.getText();
                    case "level" -> level = this.level.of(parser);
                    case "service_name" -> service = this.service.of(parser);
                    case "service_version" -> version = this.version.of(parser);
                    case "trace_id" -> traceId = parser.getText();
                    case "span_id" -> spanId = parser.getText();
                    default -> {
                        // other fields stay in the line untouched
                    }
                }
            }
            if (token != JsonToken.END_OBJECT) {
                return null;
            }
        } catch (IOException | RuntimeException e) {
            // from a byte array, only the content fails: not JSON after all, truncated, or beyond the
            // parser's limits (nesting, number and name lengths); shipped as plain text
            return null;
        }
        long nanos = timestamp == null ? readTimeNanos : parseTimestamp(timestamp, readTimeNanos);
        return record.start(line, nanos, position)
                .level(level)
                .serviceName(serviceOf(service, origin, defaultServiceName))
                .serviceVersion(version)
                .trace(traceId, spanId)
                .namespace(namespace)
                .container(origin, stream)
                .build();
    }

    /** The record of a line {@link JsonFieldScan} accepted: its wanted values are ASCII without escapes. */
    private LogRecord fromScan(
            byte[] bytes,
            byte[] line,
            long readTimeNanos,
            SourcePosition position,
            Identity origin,
            String stream,
            String defaultServiceName) {
        long nanos = scan.found(1) ? timestamp(bytes, scan.start(1), scan.end(1), readTimeNanos) : readTimeNanos;
        return record.start(line, nanos, position)
                .level(repeated(level, bytes, 2))
                .serviceName(serviceOf(repeated(service, bytes, 3), origin, defaultServiceName))
                .serviceVersion(repeated(version, bytes, 4))
                .traceUtf8(copy(bytes, 5), copy(bytes, 6))
                .namespace(repeated(namespace, bytes, 0))
                .container(origin, stream)
                .build();
    }

    /** Read from the bytes; only a value that is not plain RFC 3339 is made a String for the lenient parse. */
    private long timestamp(byte[] bytes, int start, int end, long readTimeNanos) {
        long nanos = timestamps.parse(bytes, start, end);
        if (nanos != Rfc3339Timestamps.INVALID) {
            return nanos;
        }
        return parseTimestamp(new String(bytes, start, end - start, StandardCharsets.ISO_8859_1), readTimeNanos);
    }

    /** The scanned value of field {@code slot} (ASCII, so its own UTF-8), or null when the line has none. */
    private byte[] copy(byte[] bytes, int slot) {
        return scan.found(slot) ? Arrays.copyOfRange(bytes, scan.start(slot), scan.end(slot)) : null;
    }

    /** The scanned value of field {@code slot}, or null when the line has none. */
    private String repeated(RepeatedValue last, byte[] bytes, int slot) {
        return scan.found(slot) ? last.of(bytes, scan.start(slot), scan.end(slot)) : null;
    }

    /** RFC 3339 to epoch nanoseconds; the common {@code 2026-11-27T11:20:00.123Z} form without allocation. */
    static long parseTimestamp(String text, long fallback) {
        try {
            if (text.length() >= 20
                    && text.charAt(text.length() - 1) == 'Z'
                    && text.charAt(4) == '-'
                    && text.charAt(7) == '-'
                    && text.charAt(10) == 'T'
                    && text.charAt(13) == ':'
                    && text.charAt(16) == ':') {
                long day = LocalDate.of(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2))
                        .toEpochDay();
                long seconds =
                        day * 86_400 + digits(text, 11, 2) * 3600L + digits(text, 14, 2) * 60L + digits(text, 17, 2);
                long nanos = 0;
                int end = text.length() - 1;
                if (end > 19) {
                    if (text.charAt(19) != '.' || end - 20 > 9 || end == 20) {
                        return slowParse(text, fallback);
                    }
                    nanos = digits(text, 20, end - 20);
                    for (int i = end - 20; i < 9; i++) {
                        nanos *= 10;
                    }
                }
                return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos);
            }
            return slowParse(text, fallback);
        } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
            return fallback; // not a timestamp, or outside what epoch nanoseconds hold (1677 to 2262)
        }
    }

    private static long slowParse(String text, long fallback) {
        try {
            Instant instant = OffsetDateTime.parse(text).toInstant();
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        } catch (DateTimeException | ArithmeticException e) {
            return fallback;
        }
    }

    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException("not a digit in timestamp: " + text);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * Jackson loads with the first line the fast scan declines (often never): its classes are not on the reader's
     * way to the first record. One factory for every parser: it is thread-safe.
     */
    private static final class Jackson {
        static final JsonFactory FACTORY = JsonFactory.builder().build();
    }
}
