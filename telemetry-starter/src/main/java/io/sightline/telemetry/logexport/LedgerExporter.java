package io.sightline.telemetry.logexport;

import java.util.Collection;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;

/**
 * The exporters Boot configures, reporting to the {@link ExportLedger}: a batch frees its places in the
 * export queue when it reaches the exporter, and counts as failed when the endpoint does not accept it.
 */
final class LedgerExporter implements LogRecordExporter {

    private final LogRecordExporter delegate;

    private final ExportLedger ledger;

    LedgerExporter(LogRecordExporter delegate, ExportLedger ledger) {
        this.delegate = delegate;
        this.ledger = ledger;
    }

    @Override
    public CompletableResultCode export(Collection<LogRecordData> logs) {
        int records = logs.size();
        this.ledger.released(records);
        CompletableResultCode result;
        try {
            result = this.delegate.export(logs);
        } catch (RuntimeException ex) {
            this.ledger.failed(records);
            return CompletableResultCode.ofExceptionalFailure(ex);
        }
        result.whenComplete(() -> {
            if (!result.isSuccess()) {
                this.ledger.failed(records);
            }
        });
        return result;
    }

    @Override
    public CompletableResultCode flush() {
        return this.delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return this.delegate.shutdown();
    }

    @Override
    public String toString() {
        return "LedgerExporter{" + this.delegate + "}";
    }
}
