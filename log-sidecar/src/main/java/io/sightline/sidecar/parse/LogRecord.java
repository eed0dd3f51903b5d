package io.sightline.sidecar.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import io.sightline.sidecar.source.SourcePosition;

/**
 * One record to ship: the original line (a JSON record from telemetry-starter, or plain text,
 * possibly several joined lines of a stack trace) and what was recognised in it.
 * Fields that were not present are {@code null}. {@code timestampNanos} is epoch nanoseconds:
 * the record's {@code @timestamp} when it has one, else the time it was read (the node agent: the
 * container runtime's time).
 *
 * <p>The line is held as its UTF-8 bytes exactly as shipped ({@link #lineBytes()}: valid UTF-8, invalid
 * input already replaced by U+FFFD): a sink that only copies the line (Loki protobuf) never makes a
 * {@code String} of it, and a record in flight costs its bytes, not a {@code String} besides.
 * {@link #line()} decodes it for sinks that write text. Values, not identities: two records with the
 * same content are equal.
 *
 * <ul>
 *   <li>{@code namespace}: the namespace the record names itself (its {@code SIGHTLINE_NAMESPACE_FROM_FIELD}
 *       field), which sinks use instead of its container's; null when that is not configured or the record
 *       has none</li>
 *   <li>{@code origin}: the container the record comes from, when it is not the one the sinks were made for:
 *       the node agent reads every container of its node; {@code null} for the sidecar</li>
 *   <li>{@code stream}: {@code stdout} or {@code stderr} when the container runtime said so (node agent),
 *       else null</li>
 * </ul>
 */
public final class LogRecord {

    private final byte[] lineBytes;
    private final long timestampNanos;
    private final String level;
    private final String serviceName;
    private final String serviceVersion;
    // each kept as the text it was read as: a String (Jackson), or its UTF-8 bytes (the fast scan), the other null
    private final String traceId;
    private final byte[] traceIdUtf8;
    private final String spanId;
    private final byte[] spanIdUtf8;
    private final SourcePosition position;
    private final String namespace;
    private final Identity origin;
    private final String stream;

    /**
     * A record whose line is {@code lineBytes}, which must be valid UTF-8 and is not copied (the caller
     * hands it over).
     */
    public LogRecord(
            byte[] lineBytes,
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
        this.lineBytes = Objects.requireNonNull(lineBytes, "lineBytes");
        this.timestampNanos = timestampNanos;
        this.level = level;
        this.serviceName = serviceName;
        this.serviceVersion = serviceVersion;
        this.traceId = traceId;
        this.traceIdUtf8 = null;
        this.spanId = spanId;
        this.spanIdUtf8 = null;
        this.position = position;
        this.namespace = namespace;
        this.origin = origin;
        this.stream = stream;
    }

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
        this(
                line.getBytes(StandardCharsets.UTF_8),
                timestampNanos,
                level,
                serviceName,
                serviceVersion,
                traceId,
                spanId,
                position,
                null,
                null,
                null);
    }

    private LogRecord(Builder b) {
        this.lineBytes = Objects.requireNonNull(b.lineBytes, "lineBytes");
        this.timestampNanos = b.timestampNanos;
        this.level = b.level;
        this.serviceName = b.serviceName;
        this.serviceVersion = b.serviceVersion;
        this.traceId = b.traceId;
        this.traceIdUtf8 = b.traceIdUtf8;
        this.spanId = b.spanId;
        this.spanIdUtf8 = b.spanIdUtf8;
        this.position = b.position;
        this.namespace = b.namespace;
        this.origin = b.origin;
        this.stream = b.stream;
    }

    /**
     * Assembles a record field by field, so that each call names what it sets; fields not set are null. Reusable:
     * {@link #start} forgets what the previous record set, so a parser keeps one and allocates nothing per line
     * besides the record. Not thread-safe.
     */
    public static final class Builder {

        private byte[] lineBytes;
        private long timestampNanos;
        private SourcePosition position;
        private String level;
        private String serviceName;
        private String serviceVersion;
        private String traceId;
        private byte[] traceIdUtf8;
        private String spanId;
        private byte[] spanIdUtf8;
        private String namespace;
        private Identity origin;
        private String stream;

        /** A new record of {@code lineBytes} (valid UTF-8, handed over, not copied) read at {@code position}. */
        public Builder start(byte[] lineBytes, long timestampNanos, SourcePosition position) {
            this.lineBytes = lineBytes;
            this.timestampNanos = timestampNanos;
            this.position = position;
            level = null;
            serviceName = null;
            serviceVersion = null;
            traceId = null;
            traceIdUtf8 = null;
            spanId = null;
            spanIdUtf8 = null;
            namespace = null;
            origin = null;
            stream = null;
            return this;
        }

        public Builder level(String level) {
            this.level = level;
            return this;
        }

        public Builder serviceName(String serviceName) {
            this.serviceName = serviceName;
            return this;
        }

        public Builder serviceVersion(String serviceVersion) {
            this.serviceVersion = serviceVersion;
            return this;
        }

        public Builder trace(String traceId, String spanId) {
            this.traceId = traceId;
            this.spanId = spanId;
            return this;
        }

        /**
         * The ids as UTF-8 (handed over, not copied): they change on every line, and a sink that only copies them
         * (Loki protobuf) then never makes a {@code String} of them.
         */
        public Builder traceUtf8(byte[] traceId, byte[] spanId) {
            this.traceIdUtf8 = traceId;
            this.spanIdUtf8 = spanId;
            return this;
        }

        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** The container whose output {@code stream} the line is (the node agent's records; null: the sidecar's). */
        public Builder container(Identity origin, String stream) {
            this.origin = origin;
            this.stream = stream;
            return this;
        }

        public LogRecord build() {
            return new LogRecord(this);
        }
    }

    /** The line as text (decoded on each call: sinks that only copy bytes use {@link #lineBytes()}). */
    public String line() {
        return new String(lineBytes, StandardCharsets.UTF_8);
    }

    /** The line's UTF-8 bytes as shipped; shared, not to be modified. */
    public byte[] lineBytes() {
        return lineBytes;
    }

    public long timestampNanos() {
        return timestampNanos;
    }

    public String level() {
        return level;
    }

    public String serviceName() {
        return serviceName;
    }

    public String serviceVersion() {
        return serviceVersion;
    }

    public String traceId() {
        return text(traceId, traceIdUtf8);
    }

    /** The trace id's UTF-8 bytes (shared, not to be modified), or null. */
    public byte[] traceIdUtf8() {
        return utf8(traceId, traceIdUtf8);
    }

    public String spanId() {
        return text(spanId, spanIdUtf8);
    }

    /** The span id's UTF-8 bytes (shared, not to be modified), or null. */
    public byte[] spanIdUtf8() {
        return utf8(spanId, spanIdUtf8);
    }

    private static String text(String text, byte[] utf8) {
        return utf8 == null ? text : new String(utf8, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text, byte[] utf8) {
        return text == null ? utf8 : text.getBytes(StandardCharsets.UTF_8);
    }

    public SourcePosition position() {
        return position;
    }

    public String namespace() {
        return namespace;
    }

    public Identity origin() {
        return origin;
    }

    public String stream() {
        return stream;
    }

    /** The same record with another line (e.g. truncated to the sink's limit); {@code newLine} valid UTF-8. */
    public LogRecord withLine(byte[] newLine) {
        return new Builder()
                .start(newLine, timestampNanos, position)
                .level(level)
                .serviceName(serviceName)
                .serviceVersion(serviceVersion)
                .trace(traceId, spanId)
                .traceUtf8(traceIdUtf8, spanIdUtf8)
                .namespace(namespace)
                .container(origin, stream)
                .build();
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

    /** Size used for batching and the in-flight memory bound: the line's bytes and the record around them. */
    public int approximateBytes() {
        return lineBytes.length + 64;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LogRecord that
                && timestampNanos == that.timestampNanos
                && Arrays.equals(lineBytes, that.lineBytes)
                && Objects.equals(level, that.level)
                && Objects.equals(serviceName, that.serviceName)
                && Objects.equals(serviceVersion, that.serviceVersion)
                && Objects.equals(traceId(), that.traceId())
                && Objects.equals(spanId(), that.spanId())
                && Objects.equals(position, that.position)
                && Objects.equals(namespace, that.namespace)
                && Objects.equals(origin, that.origin)
                && Objects.equals(stream, that.stream);
    }

    @Override
    public int hashCode() {
        return 31
                        * Objects.hash(
                                timestampNanos,
                                level,
                                serviceName,
                                serviceVersion,
                                traceId(),
                                spanId(),
                                position,
                                namespace,
                                origin,
                                stream)
                + Arrays.hashCode(lineBytes);
    }

    @Override
    public String toString() {
        return "LogRecord[line=" + line() + ", timestampNanos=" + timestampNanos + ", level=" + level
                + ", serviceName=" + serviceName + ", serviceVersion=" + serviceVersion + ", traceId=" + traceId()
                + ", spanId=" + spanId() + ", position=" + position + ", namespace=" + namespace + ", origin="
                + origin + ", stream=" + stream + "]";
    }
}
