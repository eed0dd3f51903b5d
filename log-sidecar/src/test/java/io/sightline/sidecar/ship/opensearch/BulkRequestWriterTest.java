package io.sightline.sidecar.ship.opensearch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.source.SourcePosition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BulkRequestWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final BulkRequestWriter writer = new BulkRequestWriter(
            new Identity("shop", "pod-1", "node-a", "app", null),
            IndexPattern.parse("OPENSEARCH_INDEX", "logs-{yyyy.MM.dd}"));

    private static LogRecord record(String line, String fileId, long offset) {
        return new LogRecord(
                line,
                1_795_000_000_000_000_000L,
                null,
                null,
                null,
                null,
                null,
                new SourcePosition(fileId, offset, offset + 10));
    }

    /** The NDJSON body as (action, document) pairs, each line parsed on its own as OpenSearch does. */
    private List<JsonNode[]> write(List<LogRecord> batch) throws IOException {
        String body = new String(writer.write(batch), StandardCharsets.UTF_8);
        assertThat(body).endsWith("\n");
        String[] lines = body.split("\n", -1);
        assertThat(lines).hasSize(batch.size() * 2 + 1);
        List<JsonNode[]> pairs = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            pairs.add(new JsonNode[] {JSON.readTree(lines[2 * i]), JSON.readTree(lines[2 * i + 1])});
        }
        return pairs;
    }

    @Test
    void linesThatAreNotExactlyOneJsonObjectBecomeAMessage() throws IOException {
        List<String> lines = List.of(
                "[1,2]",
                "{\"a\":1} trailing",
                "{\"a\":1,\"a\":2}",
                "{broken",
                "",
                "multi\nline \u0000 text with \"quotes\"");
        List<LogRecord> batch = lines.stream()
                .map(line -> record(line, "f", lines.indexOf(line)))
                .toList();
        List<JsonNode[]> pairs = write(batch);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode document = pairs.get(i)[1];
            assertThat(document.get("message").asText()).isEqualTo(lines.get(i));
            assertThat(document.has("cluster")).as("cluster only when set").isFalse();
            assertThat(document.get("namespace").asText()).isEqualTo("shop");
        }
    }

    @Test
    void idsDependOnlyOnFileIdentityAndOffset() throws IOException {
        List<JsonNode[]> pairs = write(List.of(
                record("{}", "file-a", 0),
                record("{\"other\":1}", "file-a", 0),
                record("{}", "file-a", 1),
                record("{}", "file-b", 0)));
        List<String> ids =
                pairs.stream().map(p -> p[0].at("/create/_id").asText()).toList();
        assertThat(ids.get(0)).hasSize(20).isEqualTo(ids.get(1));
        assertThat(ids.subList(1, 4)).doesNotHaveDuplicates();
        assertThat(pairs.get(0)[0].at("/create/_index").asText()).isEqualTo("logs-2026.11.18");
    }

    /**
     * Two pods whose log files share an inode number and first bytes (an emptyDir on each of two
     * nodes, the same application writing the same first line) must not share document ids: with
     * {@code create}, the second pod's record would be refused as already stored (409) and lost.
     */
    @Test
    void idsIncludeThePodIdentity() throws IOException {
        LogRecord record = record("{\"message\":\"started\"}", "fd01-2a-21-5f3c-0", 0);
        IndexPattern index = IndexPattern.parse("OPENSEARCH_INDEX", "logs-{yyyy.MM.dd}");
        List<String> ids = new ArrayList<>();
        for (Identity identity : List.of(
                new Identity("shop", "checkout-1", "node-a", "app", null),
                new Identity("shop", "checkout-2", "node-b", "app", null),
                new Identity("billing", "checkout-1", "node-a", "app", null),
                new Identity("shop", "checkout-1", "node-a", "worker", null))) {
            String body =
                    new String(new BulkRequestWriter(identity, index).write(List.of(record)), StandardCharsets.UTF_8);
            ids.add(JSON.readTree(body.split("\n")[0]).at("/create/_id").asText());
        }
        assertThat(ids).doesNotHaveDuplicates();
    }

    /** A record naming its own namespace ({@code SIGHTLINE_NAMESPACE_FROM_FIELD}) is stored under it. */
    @Test
    void aRecordsOwnNamespaceIsTheDocumentsNamespace() throws IOException {
        String line = "{\"namespace\":\"billing\",\"reason\":\"BackOff\"}";
        LogRecord named = new LogRecord(
                line.getBytes(StandardCharsets.UTF_8),
                1_795_000_000_000_000_000L,
                null,
                null,
                null,
                null,
                null,
                new SourcePosition("f", 0, 10),
                "billing",
                null,
                null);
        List<JsonNode[]> pairs = write(List.of(named, record(line, "f", 10)));
        assertThat(pairs.get(0)[1].get("namespace").asText()).isEqualTo("billing");
        assertThat(pairs.get(1)[1].get("namespace").asText())
                .as("without one: the pod's")
                .isEqualTo("shop");
    }

    /** The node agent's records name their container: its fields and the stream, and ids per container. */
    @Test
    void recordsOfOtherContainersCarryTheirOwnIdentityAndStream() throws IOException {
        Identity nginx = new Identity("web", "nginx-5c7-abc", "node-b", "nginx", null);
        SourcePosition at = new SourcePosition("f", 0, 10);
        LogRecord own = record("same bytes", "f", 0);
        LogRecord other = new LogRecord(
                own.lineBytes(),
                own.timestampNanos(),
                own.level(),
                "nginx",
                own.serviceVersion(),
                own.traceId(),
                own.spanId(),
                at,
                own.namespace(),
                nginx,
                "stderr");

        List<JsonNode[]> pairs = write(List.of(own, other));

        JsonNode document = pairs.get(1)[1];
        assertThat(document.path("namespace").asText()).isEqualTo("web");
        assertThat(document.path("pod").asText()).isEqualTo("nginx-5c7-abc");
        assertThat(document.path("container").asText()).isEqualTo("nginx");
        assertThat(document.path("node").asText()).isEqualTo("node-b");
        assertThat(document.path("stream").asText()).isEqualTo("stderr");
        assertThat(pairs.get(0)[1].has("stream")).isFalse();
        assertThat(pairs.get(0)[1].path("pod").asText()).isEqualTo("pod-1");
        // same file id and offset, other container: not the same document
        assertThat(pairs.get(0)[0].path("create").path("_id").asText())
                .isNotEqualTo(pairs.get(1)[0].path("create").path("_id").asText());
    }
}
