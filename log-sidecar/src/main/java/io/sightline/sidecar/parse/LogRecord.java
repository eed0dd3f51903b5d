package io.sightline.sidecar.parse;

import io.sightline.sidecar.source.SourcePosition;

/**
 * One record to ship: the original line (a JSON record from telemetry-starter, or plain text,
 * possibly several joined lines of a stack trace) and what was recognised in it.
 * Fields that were not present are {@code null}. {@code timestampNanos} is epoch nanoseconds:
 * the record's {@code @timestamp} when it has one, else the time it was read (the node agent: the
 * container runtime's time).
 *
 * @param namespace the namespace the record names itself (its {@code SIGHTLINE_NAMESPACE_FROM_FIELD} field),
 *     which sinks use instead of its container's; null when that is not configured or the record has none
 * @param origin the container the record comes from, when it is not the one the sinks were made for:
 *     the node agent reads every container of its node; {@code null} for the sidecar
 * @param stream {@code stdout} or {@code stderr} when the container runtime said so (node agent), else null
 */
public record LogRecord(
        String line,
        long timestampNanos,
        String level,
        String serviceName,
        String serviceVersion,
        String traceId,
        String spanId,
        SourcePosition position,
        String namespace,
        Identity origin,
        String stream) {

    /** A record of the container the sinks were made for (the sidecar's). */
    public LogRecord(
            String line,
            long timestampNanos,
            String level,
            String serviceName,
            String serviceVersion,
            String traceId,
            String spanId,
            SourcePosition position) {
        this(line, timestampNanos, level, serviceName, serviceVersion, traceId, spanId, position, null, null, null);
    }

    /** The same record with another line (e.g. truncated to the sink's limit). */
    public LogRecord withLine(String newLine) {
        return new LogRecord(
                newLine,
                timestampNanos,
                level,
                serviceName,
                serviceVersion,
                traceId,
                spanId,
                position,
                namespace,
                origin,
                stream);
    }

    /**
     * The same record from container {@code from}, on {@code outputStream}: its service name is the line's own
     * or else {@code defaultServiceName}, its position {@code at}.
     */
    public LogRecord from(Identity from, String outputStream, String defaultServiceName, SourcePosition at) {
        String service = serviceName == null || serviceName.isEmpty() ? defaultServiceName : serviceName;
        return new LogRecord(
                line,
                timestampNanos,
                level,
                service,
                serviceVersion,
                traceId,
                spanId,
                at,
                namespace,
                from,
                outputStream);
    }

    /**
     * The identity sinks ship this record under: its container's (the node agent's records), else
     * {@code sinkIdentity}; in the namespace the record names itself when it names one.
     */
    public Identity shippedAs(Identity sinkIdentity) {
        Identity container = origin == null ? sinkIdentity : origin;
        if (namespace == null || namespace.isEmpty()) {
            return container;
        }
        return new Identity(namespace, container.pod(), container.node(), container.container(), container.cluster());
    }

    /** Size used for batching and the in-flight memory bound (UTF-16 chars ~ bytes for ASCII logs). */
    public int approximateBytes() {
        return line.length() + 64;
    }
}
