package io.sightline.sidecar.parse;

import java.nio.charset.StandardCharsets;
import java.util.List;
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
