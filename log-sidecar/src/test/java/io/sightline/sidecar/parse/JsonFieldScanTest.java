package io.sightline.sidecar.parse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import io.sightline.sidecar.source.SourcePosition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast scan says yes only where Jackson says yes, with the same values; everything else goes to Jackson. */
class JsonFieldScanTest {

    private static final SourcePosition POSITION = new SourcePosition("f", 0, 10);
    private final AtomicInteger unparsed = new AtomicInteger();
    private final RecordParser parser = new RecordParser(unparsed::incrementAndGet, "namespace");

    @Test
    void acceptsTheStartersPlainRecordsWithTheValuesJacksonReads() {
        List<String> plain = List.of(
                "{\"@timestamp\":\"2026-11-27T11:20:00.123Z\",\"level\":\"INFO\",\"service_name\":\"demo\","
                        + "\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\"00f067aa0ba902b7\","
                        + "\"message\":\"boom\\n\\tat a.B(B.java:1)\"}",
                "{ \"level\" : \"WARN\" , \"n\" : -1.5e+3, \"ok\": true, \"no\": false, \"x\": null }",
                "{\"nested\":{\"level\":\"ignored\",\"a\":[1,{\"b\":[]},\"c\"]},\"level\":\"ERROR\",\"service_version\":\"1.2\"}",
                "{\"namespace\":\"shop\",\"level\":\"INFO\",\"level\":\"DEBUG\",\"level\":7}",
                "{}",
                "{\"a\":1} trailing text after the object",
                "{\"level\":\"INFO\"} trailing non-ASCII: gr\u00fc\u00dfe");
        for (String line : plain) {
            assertThat(scan(line)).as(line).isTrue();
            assertSameAsJackson(line);
        }
    }

    @Test
    void leavesEverythingElseToJackson() {
        List<String> other = List.of(
                "{\"level\":\"INF\\u004f\"}", // an escape in a wanted value
                "{\"message\":\"gr\u00fc\u00dfe\",\"level\":\"INFO\"}", // non-ASCII
                "{\"a\":01}",
                "{\"a\":1.}",
                "{\"a\":tru}",
                "{\"a\":1,}",
                "{\"a\" 1}",
                "{\"level\":\"INFO\", truncated",
                "{\"a\":\"tab\tinside\"}",
                "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}",
                "{\"n\":" + "9".repeat(1000) + "}",
                "{\"" + "k".repeat(2000) + "\":1}",
                "{'a':1}");
        for (String line : other) {
            assertThat(scan(line)).as(line).isFalse();
            assertSameAsJackson(line);
        }
    }

    /**
     * Random records (strings of every length with quotes, backslashes, escapes good and bad, control
     * characters, DEL and non-ASCII anywhere, nested values, some cut short or with a byte changed) are read
     * as Jackson reads them, and every one in the plain shape is taken by the scan.
     */
    @Test
    void randomRecordsAreReadAsJacksonReadsThem() {
        Random random = new Random(16);
        JsonFieldScan wanted = new JsonFieldScan(
                "namespace", "@timestamp", "level", "service_name", "service_version", "trace_id", "span_id");
        int taken = 0;
        for (int round = 0; round < 5_000; round++) {
            RandomRecord record = new RandomRecord(random);
            String line = record.object(0);
            if (random.nextInt(4) == 0) {
                line = record.damage(line);
            }
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            boolean scanned = wanted.scan(bytes, 0, bytes.length);
            if (record.plain) {
                assertThat(scanned).as(line).isTrue();
            }
            taken += scanned ? 1 : 0;
            assertSameAsJackson(line);
        }
        assertThat(taken).as("records the scan took").isBetween(1_000, 4_000);
    }

    /** A random JSON object; {@link #plain} while everything in it is in the shape the scan takes. */
    private static final class RandomRecord {

        private static final List<String> NAMES = List.of(
                "namespace", "@timestamp", "level", "service_name", "service_version", "trace_id", "span_id", "msg");
        private static final List<String> ODD =
                List.of("\\u0041", "\\x", "\u00fc", "\u20ac", "\t", "\u0001", "\u007f", "\\", "\\\\", "\\\"");
        private static final String ESCAPES = "\"\\/bfnrt";

        private final Random random;
        boolean plain = true;

        RandomRecord(Random random) {
            this.random = random;
        }

        String object(int depth) {
            StringBuilder json = new StringBuilder("{").append(space());
            int fields = random.nextInt(6);
            for (int i = 0; i < fields; i++) {
                String name = random.nextInt(3) == 0 ? text(false, 12) : NAMES.get(random.nextInt(NAMES.size()));
                json.append(i == 0 ? "" : space() + "," + space())
                        .append('"')
                        .append(name)
                        .append('"')
                        .append(space())
                        .append(':')
                        .append(space());
                boolean wanted = depth == 0 && NAMES.indexOf(name) >= 0;
                json.append(value(depth, wanted));
            }
            return json.append(space()).append('}').toString();
        }

        /** Whitespace between tokens, as JSON allows it: mostly none, as the starter writes. */
        private String space() {
            return random.nextInt(3) == 0
                    ? List.of(" ", "\t", "\n", "\r\n", "  \t").get(random.nextInt(5))
                    : "";
        }

        private String value(int depth, boolean wanted) {
            return switch (random.nextInt(depth < 3 ? 6 : 4)) {
                case 0, 1 -> '"' + text(!wanted, 40) + '"';
                case 2 -> String.valueOf(random.nextInt(2000) - 1000);
                case 3 -> List.of("true", "false", "null", "1.5e3").get(random.nextInt(4));
                case 4 -> object(depth + 1);
                default -> "[" + space() + value(depth + 1, false) + space() + "," + value(depth + 1, false) + "]";
            };
        }

        /** Printable ASCII mostly; {@code escapes}: whether simple escapes keep it plain (not in a wanted value). */
        private String text(boolean escapes, int maxLength) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(maxLength);
            for (int i = 0; i < length; i++) {
                int kind = random.nextInt(30);
                if (kind == 0) {
                    text.append('\\').append(ESCAPES.charAt(random.nextInt(ESCAPES.length())));
                    plain &= escapes;
                } else if (kind == 1) {
                    text.append(ODD.get(random.nextInt(ODD.size())));
                    plain = false;
                } else {
                    char c = (char) (' ' + random.nextInt(95));
                    text.append(c == '"' || c == '\\' ? 'q' : c);
                }
            }
            return text.toString();
        }

        /** Cut short, or one character replaced by a random one. */
        String damage(String line) {
            plain = false;
            int at = random.nextInt(line.length());
            return random.nextBoolean()
                    ? line.substring(0, at)
                    : line.substring(0, at) + (char) random.nextInt(0x80) + line.substring(at + 1);
        }
    }

    private boolean scan(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return new JsonFieldScan("namespace", "level").scan(bytes, 0, bytes.length);
    }

    private void assertSameAsJackson(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        LogRecord jackson = parser.parseJson(bytes, 0, bytes.length, line, 42, POSITION);
        LogRecord record = parser.parseLine(bytes, 0, bytes.length, 42, POSITION);
        assertThat(record).as(line).isEqualTo(jackson == null ? parser.plain(line, 42, POSITION) : jackson);
    }
}
