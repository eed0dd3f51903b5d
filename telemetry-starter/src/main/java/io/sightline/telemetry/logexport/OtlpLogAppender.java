package io.sightline.telemetry.logexport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.sightline.telemetry.logging.BoundedAsyncAppender;

/**
 * Hands log events to the OpenTelemetry SDK as OTLP log records. It sits behind the starter's
 * {@link BoundedAsyncAppender}, so it sees events already masked, on the writer thread, never on the thread
 * that logged. The record's body is the contract's JSON record (the same line the console and file get), so
 * {@code | json} works in LogQL; its {@code level} attribute, severity, timestamp and trace context come from
 * the event.
 * <p>
 * Events of the export's own libraries (the OpenTelemetry SDK, OkHttp) are not exported: an exporter
 * reporting that the endpoint is down would otherwise produce a record to export, and so on.
 */
final class OtlpLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    static final String NAME = "SIGHTLINE_OTLP";

    /** The record's {@code level} attribute: Loki keeps it as structured metadata {@code level}, as from the sidecar. */
    static final AttributeKey<String> LEVEL = AttributeKey.stringKey("level");

    /** Logger name prefixes of the export itself, whose events would loop back into it. */
    static final List<String> EXPORT_LOGGERS = List.of("io.opentelemetry.", "okhttp3.");

    private final Logger logger;

    private final Encoder<ILoggingEvent> body;

    private final ExportLedger ledger;

    /**
     * @param logger the SDK logger records are emitted to
     * @param body encodes an event as the contract's JSON record
     * @param ledger bounds the export queue and counts what is dropped
     */
    OtlpLogAppender(Logger logger, Encoder<ILoggingEvent> body, ExportLedger ledger) {
        this.logger = logger;
        this.body = body;
        this.ledger = ledger;
        setName(NAME);
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (fromExport(event.getLoggerName()) || !this.ledger.reserve()) {
            return;
        }
        try {
            Level level = event.getLevel();
            this.logger
                    .logRecordBuilder()
                    .setTimestamp(event.getInstant())
                    .setSeverity(severity(level))
                    .setSeverityText(level.toString())
                    .setContext(traceContext(event.getMDCPropertyMap()))
                    .setAttribute(LEVEL, level.toString())
                    .setBody(line(event))
                    .emit();
        } catch (RuntimeException ex) {
            // The record never reaches the SDK: its place is free, and it is lost to this destination.
            this.ledger.released(1);
            this.ledger.failed(1);
            addError("Could not export a log event over OTLP", ex);
        }
    }

    static boolean fromExport(String loggerName) {
        for (String prefix : EXPORT_LOGGERS) {
            if (loggerName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private String line(ILoggingEvent event) {
        String json = new String(this.body.encode(event), StandardCharsets.UTF_8);
        return json.endsWith("\n") ? json.substring(0, json.length() - 1) : json;
    }

    static Severity severity(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> Severity.ERROR;
            case Level.WARN_INT -> Severity.WARN;
            case Level.INFO_INT -> Severity.INFO;
            case Level.DEBUG_INT -> Severity.DEBUG;
            default -> Severity.TRACE;
        };
    }

    /**
     * The span the event was logged in, from the MDC keys the JSON record's {@code trace_id}/{@code span_id}
     * come from (Micrometer Tracing's, or the OpenTelemetry agent's); none when absent or malformed.
     */
    static Context traceContext(Map<String, String> mdc) {
        String traceId = first(mdc, "traceId", "trace_id");
        String spanId = first(mdc, "spanId", "span_id");
        if (traceId == null || spanId == null) {
            return Context.root();
        }
        SpanContext span = SpanContext.create(traceId, spanId, TraceFlags.getDefault(), TraceState.getDefault());
        return span.isValid() ? Context.root().with(Span.wrap(span)) : Context.root();
    }

    private static String first(Map<String, String> mdc, String key, String alternative) {
        String value = mdc.get(key);
        return (value != null) ? value : mdc.get(alternative);
    }
}
