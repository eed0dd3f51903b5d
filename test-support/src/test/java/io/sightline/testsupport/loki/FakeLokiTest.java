package io.sightline.testsupport.loki;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What {@link FakeLoki} answers, pushed as any Loki client pushes (the sidecar's sink is tested against it in
 * log-sidecar; the rules a correct client never breaks can only be shown here).
 */
class FakeLokiTest {

    private static final long SECONDS = 1_795_000_000L;
    private final HttpClient http = HttpClient.newHttpClient();
    private FakeLoki loki;

    @AfterEach
    void stop() {
        if (loki != null) {
            loki.close();
        }
    }

    private HttpResponse<String> send(String contentType, byte[] body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(loki.url().resolve(FakeLoki.PUSH_PATH))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> protobuf(String selector, String line) throws Exception {
        return send(
                "application/x-protobuf",
                PushBodies.protobuf(selector, SECONDS, 5, line, Map.of("trace_id", "abc")),
                Map.of());
    }

    private HttpResponse<String> json(String body) throws Exception {
        return send("application/json", body.getBytes(), Map.of());
    }

    private static String jsonPush(String labels, String... values) {
        return "{\"streams\":[{\"stream\":" + labels + ",\"values\":[" + String.join(",", values) + "]}]}";
    }

    @Test
    void storesAValidProtobufPushAndAnswers204() throws Exception {
        loki = FakeLoki.start();
        assertThat(protobuf("{app=\"a\", quoted=\"say \\\"hi\\\"\"}", "hello").statusCode())
                .isEqualTo(204);
        assertThat(loki.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("app", "a", "quoted", "say \"hi\""));
            assertThat(entry.line()).isEqualTo("hello");
            assertThat(entry.timestampNanos()).isEqualTo(SECONDS * 1_000_000_000L + 5);
            assertThat(entry.metadata()).containsExactly(Map.entry("trace_id", "abc"));
        });
    }

    @Test
    void storesAValidJsonPushWithStructuredMetadata() throws Exception {
        loki = FakeLoki.start();
        HttpResponse<String> response = json(jsonPush(
                "{\"app\":\"a\"}",
                "[\"1795000000000000001\",\"one\"]",
                "[\"1795000000000000002\",\"two\",{\"k\":\"v\"}]"));
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(loki.entries()).extracting(Entry::line).containsExactly("one", "two");
        assertThat(loki.entries().get(1).metadata()).containsExactly(Map.entry("k", "v"));
        assertThat(loki.entries().get(0).timestampNanos()).isEqualTo(1_795_000_000_000_000_001L);
    }

    @Test
    void refusesInvalidLabelNames() throws Exception {
        loki = FakeLoki.start();
        HttpResponse<String> response = protobuf("{app=\"a\", 9lives=\"x\"}", "hello");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("invalid label name '9lives'");
        assertThat(loki.entries()).isEmpty();
    }

    @Test
    void refusesMoreThan15Labels() throws Exception {
        loki = FakeLoki.start();
        String sixteen =
                IntStream.range(0, 16).mapToObj(i -> "l" + i + "=\"v\"").collect(Collectors.joining(", ", "{", "}"));
        HttpResponse<String> response = protobuf(sixteen, "hello");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("16 label names; limit 15");
    }

    @Test
    void storesTheValidEntriesOfAPushAndAnswers400NamingTheRefusedOnes() throws Exception {
        loki = FakeLoki.start();
        String tooLong = "x".repeat(LokiLimits.DEFAULTS.maxLineBytes() + 1);
        HttpResponse<String> response = json(jsonPush(
                "{\"app\":\"a\"}",
                "[\"1795000000000000001\",\"fine\"]",
                "[\"1795000000000000002\",\"" + tooLong + "\"]",
                "[\"1795000000000000003\",\"also fine\"]"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body())
                .isEqualTo("Max entry size '262144' bytes exceeded for stream '{app=a}' while adding an entry with"
                        + " length '262145' bytes");
        assertThat(loki.entries()).extracting(Entry::line).containsExactly("fine", "also fine");
    }

    /** Loki's distributor groups the errors of a push by message: "N errors like: ...", joined by "; ". */
    @Test
    void groupsTheRefusalsOfAPushByMessageAsLokiDoes() throws Exception {
        loki = FakeLoki.start();
        String tooLong = "x".repeat(LokiLimits.DEFAULTS.maxLineBytes() + 1);
        HttpResponse<String> response = json(jsonPush(
                "{\"app\":\"a\"}",
                "[\"1795000000000000001\",\"" + tooLong + "\"]",
                "[\"1795000000000000002\",\"fine\"]",
                "[\"1795000000000000003\",\"" + tooLong + "\"]",
                "[\"1795000000000000004\",\"" + tooLong + "x\"]"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body())
                .isEqualTo("2 errors like: Max entry size '262144' bytes exceeded for stream '{app=a}' while adding an"
                        + " entry with length '262145' bytes; 1 errors like: Max entry size '262144' bytes exceeded for"
                        + " stream '{app=a}' while adding an entry with length '262146' bytes");
        assertThat(loki.entries()).extracting(Entry::line).containsExactly("fine");
    }

    @Test
    void aBodyLimitAnswers413LikeAProxyAndLetsSmallerPushesThrough() throws Exception {
        loki = FakeLoki.start();
        loki.script(Script.bodyLimit(200));
        HttpResponse<String> large =
                json(jsonPush("{\"app\":\"a\"}", "[\"1795000000000000001\",\"" + "y".repeat(300) + "\"]"));
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(large.body()).contains("413 Request Entity Too Large").contains("nginx");
        assertThat(json(jsonPush("{\"app\":\"a\"}", "[\"1795000000000000002\",\"small\"]"))
                        .statusCode())
                .isEqualTo(204);
        assertThat(loki.entries()).extracting(Entry::line).containsExactly("small");
    }

    @Test
    void aTricklingBodyArrivesOneByteAtATime() throws Exception {
        loki = FakeLoki.start();
        loki.answerNext(Response.trickle(400, 1_000_000, Duration.ofMillis(50)));
        long start = System.nanoTime();
        HttpResponse<InputStream> response = http.send(
                HttpRequest.newBuilder(loki.url().resolve(FakeLoki.PUSH_PATH))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(1_000_000);
        try (InputStream body = response.body()) {
            assertThat(body.readNBytes(4)).hasSize(4);
            assertThat(System.nanoTime() - start)
                    .as("four bytes take at least three intervals")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
        }
    }

    @Test
    void refusesEntriesOlderThanTheOutOfOrderWindowButNotThoseWithinIt() throws Exception {
        loki = FakeLoki.start();
        long newest = 1_795_000_000_000_000_000L;
        long hour = 3_600_000_000_000L;
        assertThat(json(jsonPush("{\"app\":\"a\"}", "[\"" + newest + "\",\"new\"]"))
                        .statusCode())
                .isEqualTo(204);
        assertThat(json(jsonPush("{\"app\":\"a\"}", "[\"" + (newest - hour / 2) + "\",\"older\"]"))
                        .statusCode())
                .isEqualTo(204);
        HttpResponse<String> tooOld = json(jsonPush("{\"app\":\"a\"}", "[\"" + (newest - 2 * hour) + "\",\"old\"]"));
        assertThat(tooOld.statusCode()).isEqualTo(400);
        assertThat(tooOld.body()).contains("has timestamp too old");
        assertThat(json(jsonPush("{\"app\":\"b\"}", "[\"" + (newest - 2 * hour) + "\",\"other stream\"]"))
                        .statusCode())
                .as("the window is per stream")
                .isEqualTo(204);
    }

    @Test
    void answers429WithoutRetryAfterOverTheIngestionRate() throws Exception {
        loki = FakeLoki.start();
        loki.ingestionRateLimit(10);
        HttpResponse<String> response = json(jsonPush("{\"app\":\"a\"}", "[\"1\",\"more than ten bytes\"]"));
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.body()).startsWith("Ingestion rate limit exceeded (limit: 10 bytes/sec)");
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        assertThat(loki.entries()).isEmpty();
    }

    @Test
    void refusesSnappyAsContentEncodingLikeLoki() throws Exception {
        loki = FakeLoki.start();
        HttpResponse<String> response = send(
                "application/x-protobuf",
                PushBodies.protobuf("{app=\"a\"}", SECONDS, 0, "x", Map.of()),
                Map.of("Content-Encoding", "snappy"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Content-Encoding \"snappy\" not supported");
    }

    @Test
    void refusesUndecodableBodiesAndOtherContentTypes() throws Exception {
        loki = FakeLoki.start();
        assertThat(send("application/x-protobuf", "not snappy".getBytes(), Map.of())
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> notAPush = json("{\"streams\":[{\"stream\":{\"app\":1},\"values\":[]}]}");
        assertThat(notAPush.statusCode()).isEqualTo(400);
        assertThat(notAPush.body()).startsWith("loghttp.PushRequest could not be decoded");
        assertThat(send("text/plain", "x".getBytes(), Map.of()).statusCode()).isEqualTo(415);
        assertThat(loki.requests()).extracting(Request::status).containsExactly(400, 400, 415);
    }

    @Test
    void queuedAnswersComeFirstInOrderThenLokisOwn() throws Exception {
        loki = FakeLoki.start();
        loki.answerNext(Response.status(503).withHeader("Retry-After", "7").withBody("upstream connect error"));
        loki.answerNext(Response.status(429).withHeader("Retry-After", "Fri, 27 Nov 2026 12:01:30 GMT"));
        HttpResponse<String> first = protobuf("{app=\"a\"}", "x");
        HttpResponse<String> second = protobuf("{app=\"a\"}", "x");
        HttpResponse<String> third = protobuf("{app=\"a\"}", "x");
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(first.body()).isEqualTo("upstream connect error");
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.headers().firstValue("Retry-After")).hasValue("Fri, 27 Nov 2026 12:01:30 GMT");
        assertThat(third.statusCode()).isEqualTo(204);
        assertThat(loki.entries()).as("scripted answers store nothing").hasSize(1);
    }

    @Test
    void aScriptAnswersEveryRequestUntilLokiAnswersAgain() throws Exception {
        loki = FakeLoki.start();
        loki.script(push -> push.body().length > 200 ? Response.status(413) : null);
        assertThat(protobuf(
                                "{app=\"a\"}",
                                IntStream.range(0, 100)
                                        .mapToObj(Integer::toString)
                                        .collect(Collectors.joining(" ")))
                        .statusCode())
                .isEqualTo(413);
        assertThat(protobuf("{app=\"a\"}", "short").statusCode()).isEqualTo(204);
        loki.answerEveryRequest(Response.status(503));
        assertThat(protobuf("{app=\"a\"}", "short").statusCode()).isEqualTo(503);
        assertThat(protobuf("{app=\"a\"}", "short").statusCode()).isEqualTo(503);
        loki.answerLikeLoki();
        assertThat(protobuf("{app=\"a\"}", "short").statusCode()).isEqualTo(204);
        assertThat(loki.requests()).extracting(Request::status).containsExactly(413, 204, 503, 503, 204);
        assertThat(loki.lineCounts()).containsExactly(Map.entry("short", 2));
    }

    @Test
    void recordsHeadersAndWhenEachRequestWasAnswered() throws Exception {
        loki = FakeLoki.start();
        send(
                "application/x-protobuf",
                PushBodies.protobuf("{app=\"a\"}", SECONDS, 0, "x", Map.of()),
                Map.of("X-Scope-OrgID", "team-a"));
        assertThat(loki.requests()).singleElement().satisfies(request -> {
            assertThat(request.header("x-scope-orgid")).isEqualTo("team-a");
            assertThat(request.header("Content-Type")).isEqualTo("application/x-protobuf");
            assertThat(request.answeredNanos()).isGreaterThanOrEqualTo(loki.firstRequestNanos());
            assertThat(request.bodyBytes()).isPositive();
        });
    }

    @Test
    void refusesConnectionsWhileStoppedAndKeepsWhatItHadAfterARestartOnTheSamePort() throws Exception {
        loki = FakeLoki.start();
        URI url = loki.url();
        assertThat(protobuf("{app=\"a\"}", "before").statusCode()).isEqualTo(204);
        loki.stop();
        assertThatThrownBy(() -> protobuf("{app=\"a\"}", "while down")).isInstanceOf(ConnectException.class);
        loki.restart();
        assertThat(loki.url()).isEqualTo(url);
        assertThat(protobuf("{app=\"a\"}", "after").statusCode()).isEqualTo(204);
        assertThat(loki.entries()).extracting(Entry::line).containsExactly("before", "after");
    }

    @Test
    void countingModeCountsWithoutDecodingOrStoring() throws Exception {
        loki = FakeLoki.startCounting();
        String body =
                jsonPush("{\"app\":\"a\"}", "[\"1\",\"one\"]", "[\"2\",\"two\"]", "[\"3\",\"three\",{\"k\":\"v\"}]");
        assertThat(json(body).statusCode()).isEqualTo(204);
        assertThat(json("not even JSON").statusCode()).as("nothing is decoded").isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> loki.countedEntries() == 3); // counted once answered
        assertThat(loki.requestCount()).isEqualTo(2);
        assertThat(loki.bodyBytes()).isEqualTo(body.length() + "not even JSON".length());
        assertThat(loki.firstRequestNanos()).isPositive();
        assertThat(loki.entries()).isEmpty();
    }

    @Test
    void answers404ElsewhereAnd405ForOtherMethods() throws Exception {
        loki = FakeLoki.start();
        assertThat(http.send(
                                HttpRequest.newBuilder(loki.url().resolve("/loki/api/v1/query"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(404);
        assertThat(http.send(
                                HttpRequest.newBuilder(loki.url().resolve(FakeLoki.PUSH_PATH))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(405);
    }
}
