package io.sightline.testsupport.loki;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link FakeLoki#startCounting()} counts the entries of JSON and protobuf+snappy pushes without storing them: the
 * benchmarks count what a shipper delivered at the receiver. Each push goes to a counting and to a decoding fake;
 * the counted entries must equal what the decoding fake stored. The fake counts a push once it has answered it, so the
 * tests wait for the count.
 */
class FakeLokiCountingTest {

    private static final long SECONDS = 1_795_000_000L;
    private static final String PROTOBUF = "application/x-protobuf";
    private static final String JSON = "application/json";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<FakeLoki> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(FakeLoki::close);
    }

    private FakeLoki started(FakeLoki loki) {
        started.add(loki);
        return loki;
    }

    private int push(FakeLoki loki, String contentType, byte[] body) throws Exception {
        URI push = loki.url().resolve(FakeLoki.PUSH_PATH);
        return http.send(
                        HttpRequest.newBuilder(push)
                                .header("Content-Type", contentType)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** Several streams, and a stream without lines. */
    private static Map<String, List<String>> streams() {
        Map<String, List<String>> streams = new LinkedHashMap<>();
        streams.put("{app=\"a\"}", List.of("one", "two", "three"));
        streams.put("{app=\"b\"}", List.of("[\"1\" looks like an entry"));
        streams.put("{app=\"c\"}", List.of());
        streams.put("{app=\"d\"}", List.of("four", "five"));
        return streams;
    }

    private static byte[] json(Map<String, List<String>> linesBySelector) {
        StringBuilder body = new StringBuilder("{\"streams\":[");
        linesBySelector.forEach((selector, lines) -> {
            String app = LabelSelector.parse(selector).get("app");
            body.append(body.charAt(body.length() - 1) == '[' ? "" : ",")
                    .append("{\"stream\":{\"app\":\"")
                    .append(app)
                    .append("\"},\"values\":[");
            for (int i = 0; i < lines.size(); i++) {
                body.append(i == 0 ? "" : ",")
                        .append("[\"")
                        .append(SECONDS * 1_000_000_000L + i)
                        .append("\",\"")
                        .append(lines.get(i).replace("\"", "\\\""))
                        .append("\"]");
            }
            body.append("]}");
        });
        return body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void countsTheEntriesOfProtobufPushesThatTheDecodingFakeStores() throws Exception {
        FakeLoki counting = started(FakeLoki.startCounting());
        FakeLoki decoding = started(FakeLoki.start());
        for (byte[] body : List.of(
                PushBodies.protobuf(SECONDS, streams()),
                PushBodies.protobuf(SECONDS, Map.of()),
                PushBodies.protobuf(SECONDS, Map.of("{app=\"e\"}", List.of("six"))))) {
            assertThat(push(counting, PROTOBUF, body)).isEqualTo(204);
            assertThat(push(decoding, PROTOBUF, body)).isEqualTo(204);
        }
        assertThat(decoding.entries()).hasSize(7);
        await().atMost(Duration.ofSeconds(30)).until(() -> counting.countedEntries() == 7);
        assertThat(counting.countedEntries()).isEqualTo(decoding.entries().size());
        assertThat(counting.entries()).as("nothing stored").isEmpty();
    }

    @Test
    void countsTheEntriesOfJsonPushesThatTheDecodingFakeStores() throws Exception {
        FakeLoki counting = started(FakeLoki.startCounting());
        FakeLoki decoding = started(FakeLoki.start());
        for (byte[] body : List.of(json(streams()), json(Map.of()), json(Map.of("{app=\"e\"}", List.of("six"))))) {
            assertThat(push(counting, JSON, body)).isEqualTo(204);
            assertThat(push(decoding, JSON, body)).isEqualTo(204);
        }
        assertThat(decoding.entries()).hasSize(7);
        await().atMost(Duration.ofSeconds(30)).until(() -> counting.countedEntries() == 7);
        assertThat(counting.countedEntries()).isEqualTo(decoding.entries().size());
    }

    @Test
    void doesNotCountAPushAnsweredWithAnError() throws Exception {
        FakeLoki counting = started(FakeLoki.startCounting());
        counting.answerNext(Response.status(503));
        counting.answerNext(Response.status(503));
        assertThat(push(counting, PROTOBUF, PushBodies.protobuf(SECONDS, streams())))
                .isEqualTo(503);
        assertThat(push(counting, JSON, json(streams()))).isEqualTo(503);
        assertThat(push(counting, PROTOBUF, "no snappy block".getBytes(StandardCharsets.UTF_8)))
                .as("nothing validated, as for JSON")
                .isEqualTo(204);
        assertThat(push(counting, JSON, "not even JSON".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(204);
        assertThat(push(counting, PROTOBUF, PushBodies.protobuf(SECONDS, streams())))
                .isEqualTo(204);
        // counted once answered: the last count may land just after its answer
        await().atMost(Duration.ofSeconds(30)).until(() -> counting.countedEntries() == 6);
        assertThat(counting.countedEntries())
                .as("neither the refused nor the undecodable pushes")
                .isEqualTo(6);
    }
}
