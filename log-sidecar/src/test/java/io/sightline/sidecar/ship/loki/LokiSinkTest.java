package io.sightline.sidecar.ship.loki;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;

import io.sightline.sidecar.config.MapSettings;
import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.parse.RecordParser;
import io.sightline.sidecar.ship.SendResult;
import io.sightline.sidecar.ship.http.SelfSignedCertificate;
import io.sightline.sidecar.source.SourcePosition;
import io.sightline.testsupport.loki.Entry;
import io.sightline.testsupport.loki.FakeLoki;
import io.sightline.testsupport.loki.LokiLimits;
import io.sightline.testsupport.loki.Request;
import io.sightline.testsupport.loki.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Loki sink against {@link FakeLoki} (test-support), a protocol-exact fake of Loki's push endpoint on
 * 127.0.0.1 (there is no Loki binary on these machines): the fake decodes what Loki decodes, with its own reading
 * of Loki's wire format rather than this module's generated classes, and enforces Loki's documented limits, so
 * what passes here is what Loki accepts.
 */
class LokiSinkTest {

    private static final Identity IDENTITY = new Identity("shop", "checkout-7d9f-x2x", "node-a", "app", "prod-eu");
    private static final long T0 = Instant.parse("2026-11-27T11:20:00.123Z").toEpochMilli() * 1_000_000L;

    @TempDir
    Path dir;

    private FakeLoki loki;

    @BeforeEach
    void startLoki() throws IOException {
        loki = FakeLoki.start();
    }

    @AfterEach
    void stopLoki() {
        loki.close();
    }

    private LokiSink sink(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of("LOKI_URL", loki.url().toString()));
        values.putAll(extra);
        return new LokiSink(
                LokiSettings.from(new MapSettings(values)),
                IDENTITY,
                Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC));
    }

    private static LogRecord record(String line, long timestampNanos, String service, long offset) {
        return new LogRecord(
                line,
                timestampNanos,
                "INFO",
                service,
                "1.4.2",
                "4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7",
                new SourcePosition("dev1-ino7-abcd", offset, offset + line.length() + 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"protobuf", "json"})
    void streamsCarryExactlyTheContractsLabelsAndMetadataAndTheLineUnchanged(String format) throws IOException {
        String json =
                "{\"@timestamp\":\"2026-11-27T11:20:00.123Z\",\"level\":\"INFO\",\"message\":\"paid \\\"42\\\" €\"}";
        String awkward = "tab\there \"quoted\" back\\slash \u0001\u001f ctrl, emoji \uD83D\uDE00, \u2028 sep, ünïcödé";
        LogRecord plain = new LogRecord(
                "plain text without any field", T0 + 5, null, null, null, null, null, new SourcePosition("f", 0, 10));
        SendResult result = sink(Map.of("LOKI_FORMAT", format))
                .send(List.of(record(json, T0, "checkout", 0), record(awkward, T0 + 1, "checkout", 100), plain));

        assertThat(result.fullyAccepted()).isTrue();
        List<Entry> entries = loki.entries();
        assertThat(entries).extracting(Entry::line).containsExactlyInAnyOrder(json, awkward, plain.line());
        Entry first =
                entries.stream().filter(e -> e.line().equals(json)).findFirst().orElseThrow();
        assertThat(first.labels())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "namespace", "shop", "service_name", "checkout", "container", "app", "cluster", "prod-eu"));
        assertThat(first.metadata())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "pod",
                        "checkout-7d9f-x2x",
                        "node",
                        "node-a",
                        "level",
                        "INFO",
                        "trace_id",
                        "4bf92f3577b34da6a3ce929d0e0e4736",
                        "span_id",
                        "00f067aa0ba902b7",
                        "service_version",
                        "1.4.2"));
        assertThat(first.timestampNanos()).isEqualTo(T0);
        Entry unnamed = entries.stream()
                .filter(e -> e.line().equals(plain.line()))
                .findFirst()
                .orElseThrow();
        assertThat(unnamed.labels()).containsEntry("service_name", "unknown").hasSize(4);
        assertThat(unnamed.metadata()).containsOnlyKeys("pod", "node");
        assertThat(loki.requests()).singleElement().satisfies(request -> {
            assertThat(request.header("Content-Type"))
                    .isEqualTo("protobuf".equals(format) ? "application/x-protobuf" : "application/json");
            assertThat(request.header("Content-Encoding")).isNull();
            assertThat(request.header("X-Scope-OrgID")).isNull();
            assertThat(request.header("Authorization")).isNull();
        });
    }

    /**
     * Trace and span ids as the parser leaves them: as bytes from the fast scan, as text from Jackson (a line with
     * non-ASCII text), absent or empty (then not sent): each entry carries its own, never the previous entry's.
     */
    @ParameterizedTest
    @ValueSource(strings = {"protobuf", "json"})
    void eachEntryCarriesTheTraceAndSpanIdsOfItsOwnLine(String format) throws IOException {
        RecordParser parser = new RecordParser(() -> {});
        List<String> lines = List.of(
                "{\"level\":\"INFO\",\"trace_id\":\"aaaa0000aaaa0000aaaa0000aaaa0001\",\"span_id\":\"bbbb000000000001\"}",
                "{\"level\":\"INFO\",\"trace_id\":\"aaaa0000aaaa0000aaaa0000aaaa0002\",\"span_id\":\"bbbb000000000002\"}",
                "{\"level\":\"INFO\",\"message\":\"\u00fc\",\"trace_id\":\"aaaa0000aaaa0000aaaa0000aaaa0003\","
                        + "\"span_id\":\"bbbb000000000003\"}",
                "{\"level\":\"INFO\",\"trace_id\":\"\",\"span_id\":\"bbbb000000000004\"}",
                "{\"level\":\"INFO\"}");
        List<LogRecord> records = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            byte[] bytes = lines.get(i).getBytes(StandardCharsets.UTF_8);
            records.add(parser.parseLine(bytes, 0, bytes.length, T0 + i, new SourcePosition("f", i, i + 1)));
        }

        assertThat(sink(Map.of("LOKI_FORMAT", format)).send(records).fullyAccepted())
                .isTrue();

        Map<String, Map<String, String>> ids = new HashMap<>();
        for (Entry entry : loki.entries()) {
            Map<String, String> metadata = new HashMap<>(entry.metadata());
            metadata.keySet().retainAll(List.of("trace_id", "span_id"));
            ids.put(entry.line(), metadata);
        }
        assertThat(ids)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        lines.get(0),
                        Map.of("trace_id", "aaaa0000aaaa0000aaaa0000aaaa0001", "span_id", "bbbb000000000001"),
                        lines.get(1),
                        Map.of("trace_id", "aaaa0000aaaa0000aaaa0000aaaa0002", "span_id", "bbbb000000000002"),
                        lines.get(2),
                        Map.of("trace_id", "aaaa0000aaaa0000aaaa0000aaaa0003", "span_id", "bbbb000000000003"),
                        lines.get(3),
                        Map.of("span_id", "bbbb000000000004"),
                        lines.get(4),
                        Map.of()));
    }

    /** The node agent's records each name their container: streams per container, its pod and node, the stream. */
    @ParameterizedTest
    @ValueSource(strings = {"protobuf", "json"})
    void recordsOfOtherContainersGoToTheirOwnStreams(String format) throws IOException {
        Identity nginx = new Identity("web", "nginx-5c7-abc", "node-b", "nginx", "prod-eu");
        Identity redis = new Identity("cache", "redis-0", "node-b", "redis", "prod-eu");
        SourcePosition at = new SourcePosition("f", 0, 10);
        LogRecord fromNginx = new LogRecord(
                "GET /".getBytes(StandardCharsets.UTF_8),
                T0,
                null,
                "nginx",
                null,
                null,
                null,
                at,
                null,
                nginx,
                "stdout");
        LogRecord fromRedis = new LogRecord(
                "Ready to accept connections".getBytes(StandardCharsets.UTF_8),
                T0 + 1,
                null,
                "redis",
                null,
                null,
                null,
                at,
                null,
                redis,
                "stderr");

        assertThat(sink(Map.of("LOKI_FORMAT", format))
                        .send(List.of(fromNginx, fromRedis))
                        .fullyAccepted())
                .isTrue();

        Entry first = loki.entries().stream()
                .filter(e -> e.line().equals("GET /"))
                .findFirst()
                .orElseThrow();
        assertThat(first.labels())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "namespace", "web", "service_name", "nginx", "container", "nginx", "cluster", "prod-eu"));
        assertThat(first.metadata())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("pod", "nginx-5c7-abc", "node", "node-b", "stream", "stdout"));
        Entry second = loki.entries().stream()
                .filter(e -> e.line().startsWith("Ready"))
                .findFirst()
                .orElseThrow();
        assertThat(second.labels()).containsEntry("namespace", "cache").containsEntry("service_name", "redis");
        assertThat(second.metadata()).containsEntry("pod", "redis-0").containsEntry("stream", "stderr");
    }

    @Test
    void serviceNameFallsBackToTheEnvironmentAndClusterIsOnlyALabelWhenSet() throws IOException {
        Identity noCluster = new Identity("shop", "p", "n", "app", null);
        LokiSink sink = new LokiSink(
                LokiSettings.from(
                        new MapSettings(Map.of("LOKI_URL", loki.url().toString(), "SERVICE_NAME", "billing"))),
                noCluster);
        sink.send(List.of(new LogRecord("x", T0, null, null, null, null, null, new SourcePosition("f", 0, 2))));
        assertThat(loki.entries()).singleElement().satisfies(entry -> assertThat(entry.labels())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("namespace", "shop", "service_name", "billing", "container", "app")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"protobuf", "json"})
    void entriesOfAStreamAreSortedByTimestampKeepingReadOrderForTies(String format) throws IOException {
        List<LogRecord> batch = List.of(
                record("c", T0 + 3_000, "a", 0),
                record("a", T0 + 1_000, "a", 2),
                record("other", T0, "b", 4),
                record("b1", T0 + 2_000, "a", 6),
                record("b2", T0 + 2_000, "a", 8));
        assertThat(sink(Map.of("LOKI_FORMAT", format)).send(batch).fullyAccepted())
                .isTrue();
        assertThat(loki.entries())
                .filteredOn(e -> e.labels().get("service_name").equals("a"))
                .extracting(Entry::line)
                .containsExactly("a", "b1", "b2", "c");
    }

    @Test
    void tenantAndBasicAuthHeadersAreSent() throws IOException {
        Path password = Files.writeString(dir.resolve("password"), "pa:ss\n");
        sink(Map.of("LOKI_TENANT_ID", "team-a", "LOKI_USERNAME", "shipper", "LOKI_PASSWORD_FILE", password.toString()))
                .send(List.of(record("x", T0, "s", 0)));
        Request request = loki.requests().get(0);
        assertThat(request.header("X-Scope-OrgID")).isEqualTo("team-a");
        assertThat(request.header("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("shipper:pa:ss".getBytes()));
    }

    @Test
    void bearerTokenIsReadAgainForEveryRequestSoRotationWorks() throws IOException {
        Path token = Files.writeString(dir.resolve("token"), "first-token\n");
        LokiSink sink = sink(Map.of("LOKI_BEARER_TOKEN_FILE", token.toString()));
        sink.send(List.of(record("x", T0, "s", 0)));
        Files.writeString(token, "rotated-token");
        sink.send(List.of(record("y", T0 + 1, "s", 2)));
        assertThat(loki.requests())
                .extracting(r -> r.header("Authorization"))
                .containsExactly("Bearer first-token", "Bearer rotated-token");
    }

    @Test
    void tlsWithACustomCaFile() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(dir, "loki");
        try (FakeLoki tlsLoki = FakeLoki.startTls(certificate.serverContext())) {
            String url = tlsLoki.url().toString();
            LokiSink trusting = new LokiSink(
                    LokiSettings.from(new MapSettings(Map.of(
                            "LOKI_URL", url, "LOKI_CA_FILE", certificate.pem().toString()))),
                    IDENTITY);
            assertThat(trusting.send(List.of(record("over tls", T0, "s", 0))).fullyAccepted())
                    .isTrue();
            assertThat(tlsLoki.entries()).extracting(Entry::line).containsExactly("over tls");

            LokiSink withoutCa = new LokiSink(LokiSettings.from(new MapSettings(Map.of("LOKI_URL", url))), IDENTITY);
            assertThatThrownBy(() -> withoutCa.send(List.of(record("refused", T0, "s", 0))))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void lineOverLokisLimitIsTheOnlyRecordRejectedTheRestIsStored() throws IOException {
        String tooLong = "x".repeat(LokiLimits.DEFAULTS.maxLineBytes() + 1);
        List<LogRecord> batch = List.of(
                record("fine", T0, "s", 0), record(tooLong, T0 + 1, "s", 5), record("also fine", T0 + 2, "s", 7));
        SendResult result = sink(Map.of()).send(batch);
        assertThat(result.retry())
                .as("nothing resent: the valid entries are stored")
                .isEmpty();
        assertThat(result.rejected()).as("only the entry Loki names").isEqualTo(1);
        assertThat(result.rejectReason()).startsWith("HTTP 400: ").contains("Max entry size '262144' bytes exceeded");
        assertThat(loki.entries()).extracting(Entry::line).containsExactly("fine", "also fine");
    }

    /** Loki's grouped errors: "N errors like: ..." per distinct message; one error alone; or the whole push. */
    @Test
    void countsTheEntriesLokisAnswerNames() {
        String tooOld = "entry for stream '{app=\"a\"}' has timestamp too old: 2026-11-20T10:00:00Z,"
                + " oldest acceptable timestamp is: 2026-11-23T10:00:00Z";
        String tooLong = "Max entry size '262144' bytes exceeded for stream '{app=\"a\"}' while adding an entry with"
                + " length '300000' bytes";
        assertThat(LokiSink.refusedEntries(tooOld, 10)).isEqualTo(1);
        assertThat(LokiSink.refusedEntries("3 errors like: " + tooOld, 10)).isEqualTo(3);
        assertThat(LokiSink.refusedEntries("3 errors like: " + tooOld + "; 2 errors like: " + tooLong, 10))
                .isEqualTo(5);
        assertThat(LokiSink.refusedEntries("40 errors like: " + tooOld, 10)).isEqualTo(10);
        assertThat(LokiSink.refusedEntries("loghttp.PushRequest could not be decoded: EOF", 10))
                .as("not about entries: the whole push")
                .isEqualTo(10);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403, 404, 407})
    void refusalsOfWhoWeAreOrWhereWeSendAreHeldForRetry(int status) throws IOException {
        loki.answerNext(Response.status(status).withBody("no: " + status));
        List<LogRecord> batch = List.of(record("a", T0, "s", 0));
        SendResult result = sink(Map.of()).send(batch);
        assertThat(result.rejected()).isZero();
        assertThat(result.retry()).containsExactlyElementsOf(batch);
        assertThat(result.retryKind()).isEqualTo(SendResult.RetryKind.REFUSED);
        assertThat(result.retryCause()).isEqualTo("http_" + status);
        assertThat(result.message()).isEqualTo("HTTP " + status + ": no: " + status);
    }

    @Test
    void requestTooLargeAsksForSmallerRequests() throws IOException {
        loki.answerNext(Response.status(413).withBody("request entity too large"));
        List<LogRecord> batch = List.of(record("a", T0, "s", 0), record("b", T0, "s", 2));
        SendResult result = sink(Map.of()).send(batch);
        assertThat(result.retryKind()).isEqualTo(SendResult.RetryKind.TOO_LARGE);
        assertThat(result.retry()).containsExactlyElementsOf(batch);
        assertThat(result.rejected()).isZero();
    }

    @Test
    void entryOlderThanTheOutOfOrderWindowIsRejected() throws IOException {
        LokiSink sink = sink(Map.of());
        assertThat(sink.send(List.of(record("new", T0, "s", 0))).fullyAccepted())
                .isTrue();
        assertThat(sink.send(List.of(record(
                                "a bit older", T0 - Duration.ofMinutes(30).toNanos(), "s", 4)))
                        .fullyAccepted())
                .as("out of order within the window is fine for Loki 3")
                .isTrue();
        SendResult tooOld =
                sink.send(List.of(record("too old", T0 - Duration.ofHours(2).toNanos(), "s", 8)));
        assertThat(tooOld.rejected()).isEqualTo(1);
        assertThat(tooOld.rejectReason()).contains("timestamp too old");
    }

    @Test
    void rateLimitedPushIsRetriedWithCauseHttp429() throws IOException {
        loki.ingestionRateLimit(10);
        SendResult result = sink(Map.of()).send(List.of(record("more than ten bytes", T0, "s", 0)));
        assertThat(result.retry()).hasSize(1);
        assertThat(result.retryCause()).isEqualTo("http_429");
        assertThat(result.retryAfter())
                .as("Loki sends no Retry-After: the delivery stage backs off")
                .isNull();
        assertThat(result.rejected()).isZero();
    }

    @Test
    void serviceUnavailableWithRetryAfterSecondsOrDate() throws IOException {
        LokiSink sink = sink(Map.of());
        List<LogRecord> batch = List.of(record("a", T0, "s", 0), record("b", T0, "s", 2));
        loki.answerNext(Response.status(503).withHeader("Retry-After", "7").withBody("upstream connect error"));
        SendResult seconds = sink.send(batch);
        assertThat(seconds.retry()).containsExactlyElementsOf(batch);
        assertThat(seconds.retryCause()).isEqualTo("http_503");
        assertThat(seconds.retryAfter()).isEqualTo(Duration.ofSeconds(7));

        loki.answerNext(Response.status(429)
                .withHeader("Retry-After", "Fri, 27 Nov 2026 12:01:30 GMT")
                .withBody("slow down"));
        SendResult date = sink.send(batch);
        assertThat(date.retryCause()).isEqualTo("http_429");
        assertThat(date.retryAfter()).isEqualTo(Duration.ofSeconds(90));
        assertThat(loki.entries()).isEmpty();
    }

    @Test
    void unreachableServerIsAnIOException() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        LokiSink sink = new LokiSink(
                LokiSettings.from(new MapSettings(Map.of("LOKI_URL", "http://127.0.0.1:" + closedPort))), IDENTITY);
        assertThatThrownBy(() -> sink.send(List.of(record("x", T0, "s", 0)))).isInstanceOf(ConnectException.class);
    }

    @Test
    void formatSettingIsValidated() {
        assertThatThrownBy(() -> LokiSettings.from(new MapSettings(Map.of("LOKI_FORMAT", "xml"))))
                .hasMessageContaining("LOKI_FORMAT");
    }
}
