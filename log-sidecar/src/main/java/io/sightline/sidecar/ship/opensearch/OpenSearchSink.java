package io.sightline.sidecar.ship.opensearch;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.ship.SendResult;
import io.sightline.sidecar.ship.Sink;
import io.sightline.sidecar.ship.http.HttpSender;
import io.sightline.sidecar.ship.http.ResponseMapping;

/**
 * Indexes batches into OpenSearch or Elasticsearch with one {@code _bulk} request each
 * ({@link BulkRequestWriter}: daily index, deterministic ids, {@code create} so resends cannot
 * duplicate). A non-2xx answer applies to the whole batch (see {@link ResponseMapping}); a 2xx answer
 * is read item by item ({@link BulkResponse}).
 */
public final class OpenSearchSink implements Sink {

    /** A _bulk answer (filtered to status and error per item) is read whole, or the batch is split. */
    private static final int RESPONSE_BYTES_BASE = 64 << 10;

    private static final int RESPONSE_BYTES_PER_RECORD = 1024;

    private final HttpSender sender;
    private final URI bulkUri;
    private final BulkRequestWriter writer;
    private final Clock clock;

    public OpenSearchSink(OpenSearchSettings settings, Identity identity) {
        this(settings, identity, Clock.systemUTC());
    }

    OpenSearchSink(OpenSearchSettings settings, Identity identity, Clock clock) {
        this.sender = new HttpSender(settings.http());
        this.bulkUri = settings.http().resolve("/_bulk?filter_path=" + BulkResponse.FILTER_PATH);
        this.writer = new BulkRequestWriter(identity, IndexPattern.parse("OPENSEARCH_INDEX", settings.indexPattern()));
        this.clock = clock;
    }

    @Override
    public String name() {
        return "opensearch";
    }

    @Override
    public SendResult send(List<LogRecord> batch) throws IOException {
        if (batch.isEmpty()) {
            return SendResult.ok();
        }
        HttpSender.Response response = sender.post(
                bulkUri,
                "application/x-ndjson",
                writer.write(batch),
                Map.of(),
                RESPONSE_BYTES_BASE + RESPONSE_BYTES_PER_RECORD * batch.size());
        if (!ResponseMapping.isSuccess(response.status())) {
            return ResponseMapping.forBatch(response, batch, clock);
        }
        if (!response.complete()) {
            // item outcomes unknown: smaller batches get smaller answers (resent documents are 409, not duplicates)
            return SendResult.retryAll(
                    batch,
                    SendResult.RetryKind.TOO_LARGE,
                    "response_too_large",
                    null,
                    "the _bulk answer was longer than " + response.body().length + " bytes");
        }
        return BulkResponse.toResult(response.body(), batch);
    }
}
