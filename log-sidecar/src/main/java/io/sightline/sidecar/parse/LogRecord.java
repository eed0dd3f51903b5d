package io.sightline.sidecar.parse;

import io.sightline.sidecar.source.SourcePosition;

/**
 * One record to ship: the original line (a JSON record from telemetry-starter, or plain text,
 * possibly several joined lines of a stack trace) and what was recognised in it.
 * Fields that were not present are {@code null}. {@code timestampNanos} is epoch nanoseconds:
 * the record's {@code @timestamp} when it has one, else the time it was read.
 */
public record LogRecord(
        String line,
        long timestampNanos,
        String level,
        String serviceName,
        String serviceVersion,
        String traceId,
        String spanId,
        SourcePosition position) {

    /** The same record with another line (e.g. truncated to the sink's limit). */
    public LogRecord withLine(String newLine) {
        return new LogRecord(newLine, timestampNanos, level, serviceName, serviceVersion, traceId, spanId, position);
    }

    /** Size used for batching and the in-flight memory bound (UTF-16 chars ~ bytes for ASCII logs). */
    public int approximateBytes() {
        return line.length() + 64;
    }
}
