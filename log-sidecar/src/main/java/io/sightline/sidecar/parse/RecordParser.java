package io.sightline.sidecar.parse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sightline.sidecar.source.SourcePosition;

/**
 * Turns lines into {@link LogRecord}s. A line that is a JSON object (telemetry-starter's format,
 * contract section 2) gives its {@code @timestamp}, {@code level}, {@code service_name},
 * {@code service_version}, {@code trace_id} and {@code span_id}; anything else is plain text
 * stamped with the time it was read. Jackson's streaming parser reads the bytes once without
 * building a tree, so recognising a record costs little more than scanning it.
 * <p>Any content is a record, never an exception: a line that starts like a JSON object but cannot be
 * read as one (broken, truncated, nested deeper than the parser allows, a number or name too long,
 * invalid UTF-8) is plain text, and {@code unparsed} is told, once per such line.
 */
public final class RecordParser {

    private final JsonFactory json = JsonFactory.builder().build();
    private final Runnable unparsed;
    // level, service name and version repeat on nearly every line: reuse the previous String when equal
    private String lastLevel = "";
    private String lastService = "";
    private String lastVersion = "";

    /** {@code unparsed} runs for each line that looked like a JSON object but was not one. */
    public RecordParser(Runnable unparsed) {
        this.unparsed = unparsed;
    }

    /** A complete line as read ({@code bytes[offset, offset+length)}, UTF-8, without its line break). */
    public LogRecord parseLine(byte[] bytes, int offset, int length, long readTimeNanos, SourcePosition position) {
        String line = new String(bytes, offset, length, StandardCharsets.UTF_8);
        if (looksLikeJsonObject(bytes, offset, length)) {
            LogRecord record = parseJson(bytes, offset, length, line, readTimeNanos, position);
            if (record != null) {
                return record;
            }
            unparsed.run();
        }
        return plain(line, readTimeNanos, position);
    }

    public static LogRecord plain(String text, long readTimeNanos, SourcePosition position) {
        return new LogRecord(text, readTimeNanos, null, null, null, null, null, position);
    }

    public static boolean looksLikeJsonObject(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end && (bytes[i] == ' ' || bytes[i] == '\t')) {
            i++;
        }
        return i < end && bytes[i] == '{';
    }

    private LogRecord parseJson(
            byte[] bytes, int offset, int length, String line, long readTimeNanos, SourcePosition position) {
        String timestamp = null;
        String level = null;
        String service = null;
        String version = null;
        String traceId = null;
        String spanId = null;
        try (JsonParser parser = json.createParser(bytes, offset, length)) {
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
                switch (name) {
                    case "@timestamp" -> timestamp = parser.getText();
                    case "level" -> level = lastLevel = reuse(parser, lastLevel);
                    case "service_name" -> service = lastService = reuse(parser, lastService);
                    case "service_version" -> version = lastVersion = reuse(parser, lastVersion);
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
        return new LogRecord(line, nanos, level, service, version, traceId, spanId, position);
    }

    private static String reuse(JsonParser parser, String previous) throws IOException {
        char[] chars = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        int length = parser.getTextLength();
        if (length == previous.length()) {
            boolean same = true;
            for (int i = 0; i < length && same; i++) {
                same = chars[offset + i] == previous.charAt(i);
            }
            if (same) {
                return previous;
            }
        }
        return new String(chars, offset, length);
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
}
