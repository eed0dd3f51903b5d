package io.sightline.sidecar.ship.opensearch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.ship.SendResult;
import io.sightline.sidecar.source.SourcePosition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Per-item outcomes that a healthy single test node does not produce on demand (429 from a full
 * write queue, 5xx from a failed shard), read from responses in OpenSearch's {@code _bulk} format.
 */
class BulkResponseTest {

    private static final List<LogRecord> BATCH = IntStream.range(0, 5)
            .mapToObj(
                    i -> new LogRecord("line " + i, i, null, null, null, null, null, new SourcePosition("f", i, i + 1)))
            .toList();

    private static SendResult read(String body) throws IOException {
        return BulkResponse.toResult(body.getBytes(StandardCharsets.UTF_8), BATCH);
    }

    @Test
    void noErrorsIsSuccessWithoutReadingItems() throws IOException {
        assertThat(read("{\"errors\":false,\"items\":[]}").fullyAccepted()).isTrue();
    }

    @Test
    void itemsAreSortedIntoStoredRetryAndRejected() throws IOException {
        SendResult result = read("""
                {"errors":true,"items":[
                  {"create":{"status":201}},
                  {"create":{"status":409,"error":{"type":"version_conflict_engine_exception","reason":"document already exists"}}},
                  {"create":{"status":429,"error":{"type":"rejected_execution_exception","reason":"write queue full"}}},
                  {"create":{"status":400,"error":{"type":"mapper_parsing_exception","reason":"failed to parse field [x]"}}},
                  {"create":{"status":503,"error":{"type":"unavailable_shards_exception","reason":"primary shard is not active"}}}
                ]}""");
        assertThat(result.retry()).containsExactly(BATCH.get(2), BATCH.get(4));
        assertThat(result.retryCause()).isEqualTo("http_429");
        assertThat(result.retryAfter()).isNull();
        assertThat(result.rejected()).isEqualTo(1);
        assertThat(result.rejectReason()).isEqualTo("HTTP 400: mapper_parsing_exception: failed to parse field [x]");
    }

    @Test
    void mappingConflictsAreSetApartForTheConflictFreeForm() throws IOException {
        BulkResponse.Outcome outcome = BulkResponse.read("""
                {"errors":true,"items":[
                  {"create":{"status":201}},
                  {"create":{"status":400,"error":{"type":"mapper_parsing_exception","reason":"failed to parse field [x]"}}},
                  {"create":{"status":400,"error":{"type":"illegal_argument_exception","reason":"can't merge a non object mapping [u] with an object mapping"}}},
                  {"create":{"status":400,"error":{"type":"invalid_index_name_exception","reason":"bad name"}}},
                  {"create":{"status":201}}
                ]}""".getBytes(StandardCharsets.UTF_8), BATCH, true);
        assertThat(outcome.conflicts())
                .extracting(BulkResponse.Conflict::record)
                .containsExactly(BATCH.get(1), BATCH.get(2));
        assertThat(outcome.conflicts().get(0).error()).isEqualTo("mapper_parsing_exception: failed to parse field [x]");
        assertThat(outcome.result().rejected()).isEqualTo(1);
        assertThat(outcome.result().retry()).isEmpty();
    }

    @Test
    void aResponseThatDoesNotMatchTheRequestIsAFailedAttempt() {
        assertThatThrownBy(() -> read("{\"errors\":true,\"items\":[{\"create\":{\"status\":201}}]}"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("1 items for 5 documents");
        assertThatThrownBy(() -> read("<html>proxy error</html>")).isInstanceOf(IOException.class);
    }
}
