package io.sightline.sidecar.parse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import io.sightline.sidecar.source.SourcePosition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecordParserTest {

    private static final SourcePosition POSITION = new SourcePosition("f", 0, 10);
    private final AtomicInteger unparsed = new AtomicInteger();
    private final RecordParser parser = new RecordParser(unparsed::incrementAndGet);

    @Test
    void recognisesTheStartersJsonFields() {
        String line = "{\"@timestamp\":\"2026-11-27T11:20:00.123Z\",\"level\":\"ERROR\",\"logger\":\"a.B\","
                + "\"message\":\"x\",\"nested\":{\"level\":\"ignored\"},\"service_name\":\"checkout\","
                + "\"service_version\":\"1.4.2\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
                + "\"span_id\":\"00f067aa0ba902b7\",\"n\":1}";
        LogRecord record = parse(line, 7);
        assertThat(record.line()).isEqualTo(line);
        assertThat(record.timestampNanos()).isEqualTo(nanos("2026-11-27T11:20:00.123Z"));
        assertThat(record.level()).isEqualTo("ERROR");
        assertThat(record.serviceName()).isEqualTo("checkout");
        assertThat(record.serviceVersion()).isEqualTo("1.4.2");
        assertThat(record.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(record.spanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(record.position()).isEqualTo(POSITION);
    }

    /**
     * Level, service and version are kept from line to line to be reused: each line still gets its own, also when
     * the lines before were read by the other path (the fast scan, or Jackson for a line with an escape or
     * non-ASCII text) or had the value as a prefix.
     */
    @Test
    void repeatedValuesAreEachLinesOwnWhicheverPathReadTheLinesBefore() {
        List<String> levels = List.of("INFO", "INFO", "WARN", "INFO", "INF", "INFO", "", "INFO", "\u00c9TAT", "INFO");
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            String viaJackson = i % 3 == 1 ? ",\"message\":\"gr\u00fc\u00dfe\"" : ""; // non-ASCII: Jackson's
            String line = "{\"level\":\"" + level + "\",\"service_name\":\"s" + (i % 2) + "\",\"service_version\":\""
                    + level + "\"" + viaJackson + "}";
            String expected = level.replace("\\u00c9", "\u00c9");
            LogRecord record = parse(line, 1);
            assertThat(record.level()).as(line).isEqualTo(expected);
            assertThat(record.serviceName()).as(line).isEqualTo("s" + (i % 2));
            assertThat(record.serviceVersion()).as(line).isEqualTo(expected);
        }
    }

    /** {@code SIGHTLINE_NAMESPACE_FROM_FIELD}: only that top-level string field names the record's namespace. */
    @Test
    void theConfiguredNamespaceFieldIsTheRecordsNamespace() {
        RecordParser named = new RecordParser(unparsed::incrementAndGet, "namespace");
        String line = "{\"nested\":{\"namespace\":\"inner\"},\"namespace\":\"shop\",\"message\":\"x\"}";
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        assertThat(named.parseLine(bytes, 0, bytes.length, 1L, POSITION).namespace())
                .isEqualTo("shop");
        assertThat(parse(line, 1).namespace()).as("not configured").isNull();
        byte[] notAString = "{\"namespace\":7}".getBytes(StandardCharsets.UTF_8);
        assertThat(named.parseLine(notAString, 0, notAString.length, 1L, POSITION)
                        .namespace())
                .isNull();
        byte[] nestedOnly = "{\"nested\":{\"namespace\":\"inner\"}}".getBytes(StandardCharsets.UTF_8);
        assertThat(named.parseLine(nestedOnly, 0, nestedOnly.length, 1L, POSITION)
                        .namespace())
                .isNull();
    }

    @Test
    void plainTextAndBrokenJsonGetTheReadTime() {
        assertThat(parse("GET /health 200", 42)).satisfies(r -> {
            assertThat(r.timestampNanos()).isEqualTo(42);
            assertThat(r.level()).isNull();
        });
        assertThat(parse("{\"level\":\"INFO\", truncated", 43).timestampNanos()).isEqualTo(43);
        assertThat(parse("{\"level\":\"INFO\"}", 44)).satisfies(r -> {
            assertThat(r.timestampNanos()).isEqualTo(44);
            assertThat(r.level()).isEqualTo("INFO");
        });
    }

    @Test
    void parsesTimestampsInEveryRfc3339Form() {
        assertThat(RecordParser.parseTimestamp("2026-11-27T11:20:00Z", -1)).isEqualTo(nanos("2026-11-27T11:20:00Z"));
        assertThat(RecordParser.parseTimestamp("2026-11-27T11:20:00.123456789Z", -1))
                .isEqualTo(nanos("2026-11-27T11:20:00.123456789Z"));
        assertThat(RecordParser.parseTimestamp("2026-11-27T12:20:00.5+01:00", -1))
                .isEqualTo(nanos("2026-11-27T11:20:00.5Z"));
        assertThat(RecordParser.parseTimestamp("yesterday", -1)).isEqualTo(-1);
    }

    /** The scan's timestamps are read from the line's bytes: the same instant as the text parse, in every form. */
    @Test
    void aRecordsTimestampFromItsBytesIsTheTextParsesInstant() {
        String[] times = {
            "2026-11-27T11:20:00Z",
            "2026-11-27T11:20:00.1Z",
            "2026-11-27T11:20:00.123456789Z",
            "2026-11-27T12:20:00.5+01:00",
            "2026-11-27T06:50:00.000001-04:30",
            "2024-02-29T23:59:59.999999999+00:00",
            "1969-12-31T23:59:59.999Z",
            "2026-11-27T11:20Z",
            "2026-11-27t11:20:00z",
            "2026-11-27T24:00:00Z",
            "2026-02-29T11:20:00Z",
            "2026-11-27T11:20:00.1234567891Z",
            "2026-11-27T11:20:00.Z",
            "2026-11-27T11:20:00+0100",
            "2262-04-11T23:47:16.854775807Z",
            "2262-04-11T23:47:17Z",
            "1677-09-21T00:12:43.145224192Z",
            "yesterday",
        };
        for (String time : times) {
            assertThat(parse("{\"@timestamp\":\"" + time + "\",\"level\":\"INFO\"}", 7)
                            .timestampNanos())
                    .as(time)
                    .isEqualTo(RecordParser.parseTimestamp(time, 7));
        }
        assertThat(unparsed).hasValue(0);
    }

    /**
     * Lines no JSON parser should be asked to hold in full: 100,000 levels of nesting, a number of
     * 100,000 digits, a field name of 100,000 characters, invalid UTF-8 inside a string, binary after
     * an opening brace. Each is one record with the read time (the line unchanged), never an exception.
     */
    @Test
    void anyLineContentIsARecordNeverAnException() {
        List<String> lines = List.of(
                "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}",
                "{\"a\":" + "{\"b\":".repeat(100_000) + "1" + "}".repeat(100_001),
                "{\"n\":" + "9".repeat(100_000) + ",\"level\":\"INFO\"}",
                "{\"n\":-0." + "1".repeat(100_000) + "e99999999999}",
                "{\"" + "k".repeat(100_000) + "\":1,\"level\":\"WARN\"}",
                "{\"level\":\"" + "v".repeat(30_000_000 / 1000) + "\"}");
        for (String line : lines) {
            LogRecord record = parse(line, 99);
            assertThat(record.line()).isEqualTo(line);
        }
        byte[] invalid = {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'};
        assertThat(parser.parseLine(invalid, 0, invalid.length, 5, POSITION).timestampNanos())
                .isEqualTo(5);
        byte[] binary = new byte[4096];
        new Random(1).nextBytes(binary);
        binary[0] = '{';
        assertThat(parser.parseLine(binary, 0, binary.length, 6, POSITION).timestampNanos())
                .isEqualTo(6);
        assertThat(unparsed)
                .as("lines that started like JSON but were not read as JSON")
                .hasValue(7);
    }

    @Test
    void timestampsBeyondWhatEpochNanosecondsHoldAreTheReadTime() {
        assertThat(parse("{\"@timestamp\":\"9999-12-31T23:59:59.999Z\"}", 42).timestampNanos())
                .isEqualTo(42);
        assertThat(parse("{\"@timestamp\":\"+999999999-12-31T23:59:59Z\"}", 43).timestampNanos())
                .isEqualTo(43);
        assertThat(parse("{\"@timestamp\":\"1500-01-01T00:00:00+01:00\"}", 44).timestampNanos())
                .isEqualTo(44);
        assertThat(unparsed).hasValue(0);
    }

    private LogRecord parse(String line, long readTime) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return parser.parseLine(bytes, 0, bytes.length, readTime, POSITION);
    }

    private static long nanos(String instant) {
        Instant parsed = Instant.parse(instant);
        return parsed.getEpochSecond() * 1_000_000_000L + parsed.getNano();
    }
}
