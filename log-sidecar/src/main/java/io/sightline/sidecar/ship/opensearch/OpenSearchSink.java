package io.sightline.sidecar.ship.opensearch;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
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
        HttpResponse<byte[]> response = sender.post(bulkUri, "application/x-ndjson", writer.write(batch), Map.of());
        if (!ResponseMapping.isSuccess(response.statusCode())) {
            return ResponseMapping.forBatch(response, batch, clock);
        }
        return BulkResponse.toResult(response.body(), batch);
    }
}
