package io.sightline.sidecar.ship.opensearch;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.ship.SendResult;
import io.sightline.sidecar.ship.Sink;
import io.sightline.sidecar.ship.http.DestinationCheck;
import io.sightline.sidecar.ship.http.HttpSender;
import io.sightline.sidecar.ship.http.ResponseMapping;

/**
 * Indexes batches into OpenSearch or Elasticsearch with one {@code _bulk} request each
 * ({@link BulkRequestWriter}: daily index, deterministic ids, {@code create} so resends cannot
 * duplicate). A non-2xx answer applies to the whole batch (see {@link ResponseMapping}); a 2xx answer
 * is read item by item ({@link BulkResponse}). Documents the index refuses for their own fields (two
 * services logging one field name with different types into one daily index) are sent once more,
 * in the same call, in a form that cannot conflict ({@link BulkRequestWriter#writeConflictFree}):
 * the line is kept and searchable, and counted apart. Before the first batch, Sightline's index
 * template is installed unless switched off ({@link IndexTemplate}).
 */
public final class OpenSearchSink implements Sink {

    /** A _bulk answer (filtered to status and error per item) is read whole, or the batch is split. */
    private static final int RESPONSE_BYTES_BASE = 64 << 10;

    private static final int RESPONSE_BYTES_PER_RECORD = 1024;

    private final HttpSender sender;
    private final URI bulkUri;
    private final BulkRequestWriter writer;
    private final Clock clock;
    private final IndexTemplate template;
    private final DestinationCheck check;

    public OpenSearchSink(OpenSearchSettings settings, Identity identity, Diagnostics diagnostics) {
        this(settings, identity, diagnostics, null);
    }

    /** With {@code check} ({@code /_cluster/health}; null: none) run by {@link #checkDestination}. */
    public OpenSearchSink(
            OpenSearchSettings settings, Identity identity, Diagnostics diagnostics, DestinationCheck check) {
        this.sender = new HttpSender(settings.http());
        this.bulkUri = settings.http().resolve("/_bulk?filter_path=" + BulkResponse.FILTER_PATH);
        IndexPattern index = IndexPattern.parse("OPENSEARCH_INDEX", settings.indexPattern());
        this.writer = new BulkRequestWriter(identity, index);
        this.clock = Clock.systemUTC();
        this.template =
                settings.installTemplate() ? new IndexTemplate(sender, settings.http(), index, diagnostics) : null;
        this.check = check;
    }

    @Override
    public String name() {
        return "opensearch";
    }

    @Override
    public void checkDestination() {
        if (check != null) {
            check.run(sender);
        }
    }

    @Override
    public SendResult send(List<LogRecord> batch) throws IOException {
        if (batch.isEmpty()) {
            return SendResult.ok();
        }
        if (template != null) {
            template.ensureInstalled();
        }
        BulkResponse.Outcome outcome = outcome(bulk(writer.write(batch), batch.size()), batch, true);
        if (outcome.conflicts().isEmpty()) {
            return outcome.result();
        }
        return withConflictFreeForms(outcome);
    }

    /** What became of {@code records}: the whole request's status, or item by item. */
    private BulkResponse.Outcome outcome(
            HttpSender.Response response, List<LogRecord> records, boolean separateConflicts) throws IOException {
        if (!ResponseMapping.isSuccess(response.status())) {
            return new BulkResponse.Outcome(ResponseMapping.forBatch(response, records, clock), List.of());
        }
        if (!response.complete()) {
            // item outcomes unknown: smaller batches get smaller answers (resent documents are 409, not duplicates)
            return new BulkResponse.Outcome(
                    SendResult.retryAll(
                            records,
                            SendResult.RetryKind.TOO_LARGE,
                            "response_too_large",
                            null,
                            "the _bulk answer was longer than " + response.body().length + " bytes"),
                    List.of());
        }
        return BulkResponse.read(response.body(), records, separateConflicts);
    }

    /** Sends the conflicting records in the form that cannot conflict, and merges what became of them. */
    private SendResult withConflictFreeForms(BulkResponse.Outcome outcome) throws IOException {
        List<LogRecord> records = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        outcome.conflicts().forEach(conflict -> {
            records.add(conflict.record());
            errors.add(conflict.error());
        });
        SendResult first = outcome.result();
        SendResult second = outcome(bulk(writer.writeConflictFree(records, errors), records.size()), records, false)
                .result();
        List<LogRecord> retry = new ArrayList<>(first.retry());
        retry.addAll(second.retry());
        // what comes back is sent again in its own form first: the conflict repeats, and it is kept again
        SendResult.RetryKind kind = first.retry().isEmpty() ? second.retryKind() : first.retryKind();
        return new SendResult(
                List.copyOf(retry),
                retry.isEmpty() ? SendResult.RetryKind.NONE : kind,
                first.retryCause() != null ? first.retryCause() : second.retryCause(),
                first.retryAfter() != null ? first.retryAfter() : second.retryAfter(),
                first.message() != null ? first.message() : second.message(),
                first.rejected() + second.rejected(),
                first.rejectReason() != null ? first.rejectReason() : second.rejectReason(),
                records.size() - second.retry().size() - second.rejected());
    }

    private HttpSender.Response bulk(byte[] body, int documents) throws IOException {
        return sender.post(
                bulkUri,
                "application/x-ndjson",
                body,
                Map.of(),
                RESPONSE_BYTES_BASE + RESPONSE_BYTES_PER_RECORD * documents);
    }
}
