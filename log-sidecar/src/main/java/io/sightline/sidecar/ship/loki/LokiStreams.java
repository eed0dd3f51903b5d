package io.sightline.sidecar.ship.loki;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.parse.LogRecord;

/**
 * Maps records to Loki streams as the telemetry contract (section 3) says: labels are only
 * {@code cluster} (when set), {@code container}, {@code namespace} and {@code service_name};
 * {@code pod}, {@code node}, {@code level}, {@code trace_id}, {@code span_id} and
 * {@code service_version} (and the node agent's {@code stream}) travel as structured metadata, each
 * when present. A sidecar's batch varies only in {@code service_name}; a node agent's records come from
 * many containers ({@link LogRecord#origin()}), so streams are keyed by container and service name. A record naming its own namespace
 * ({@code SIGHTLINE_NAMESPACE_FROM_FIELD}) is shipped in that namespace.
 */
final class LokiStreams {

    /** Structured metadata names, in the order the encoders write them; see {@link #metadataValue}. */
    static final String[] METADATA_NAMES = {"pod", "node", "level", "trace_id", "span_id", "service_version", "stream"};

    private static final int TRACE_ID = 3;
    private static final int SPAN_ID = 4;

    private static final Comparator<LogRecord> BY_TIMESTAMP = Comparator.comparingLong(LogRecord::timestampNanos);

    private final Identity identity;
    private final String defaultServiceName;
    /**
     * A pod runs a handful of services, a node some hundred containers; the bound only guards memory against
     * lines with made-up names.
     */
    private static final int MAX_CACHED_LABEL_SETS = 1024;

    /** Built once per container and service name: label rendering is not per-batch work. */
    private final Map<StreamKey, StreamLabels> labelsByStream = new ConcurrentHashMap<>();

    /**
     * What tells streams apart: the container (labels namespace, container, cluster) and the service. {@code equals}
     * and {@code hashCode} are written out: a record's generated ones are bootstrapped at their first call (~0.05 s of
     * method-handle spinning on the first batch, docs/benchmarks.md).
     */
    record StreamKey(Identity origin, String serviceName) {

        @Override
        public boolean equals(Object other) {
            return other instanceof StreamKey that
                    && origin.equals(that.origin)
                    && Objects.equals(serviceName, that.serviceName);
        }

        @Override
        public int hashCode() {
            return 31 * origin.hashCode() + Objects.hashCode(serviceName);
        }
    }

    LokiStreams(Identity identity, String defaultServiceName) {
        this.identity = identity;
        this.defaultServiceName = defaultServiceName;
    }

    /** The batch as streams, entries of each stream sorted by timestamp (stable: equal timestamps keep read order). */
    List<LokiStream> group(List<LogRecord> batch) {
        Map<StreamKey, List<LogRecord>> byStream = new LinkedHashMap<>();
        // consecutive records nearly always share the container and the service name (the same objects): the
        // previous record's list is taken without hashing a key (a record's hashCode is slow under C1)
        Identity lastOrigin = null;
        String lastService = null;
        List<LogRecord> last = null;
        for (LogRecord record : batch) {
            String service =
                    record.serviceName() == null || record.serviceName().isEmpty()
                            ? defaultServiceName
                            : record.serviceName();
            Identity origin = record.shippedAs(identity);
            if (origin != lastOrigin || service != lastService) {
                last = byStream.computeIfAbsent(new StreamKey(origin, service), s -> new ArrayList<>());
                lastOrigin = origin;
                lastService = service;
            }
            last.add(record);
        }
        List<LokiStream> streams = new ArrayList<>(byStream.size());
        for (Map.Entry<StreamKey, List<LogRecord>> entry : byStream.entrySet()) {
            List<LogRecord> entries = entry.getValue();
            entries.sort(BY_TIMESTAMP);
            streams.add(new LokiStream(labelsFor(entry.getKey()), entries));
        }
        return streams;
    }

    /** The value of structured metadata {@code METADATA_NAMES[index]} for a record, or null when absent. */
    String metadataValue(int index, LogRecord record) {
        String value =
                switch (index) {
                    case 0 -> record.shippedAs(identity).pod();
                    case 1 -> record.shippedAs(identity).node();
                    case 2 -> record.level();
                    case TRACE_ID -> record.traceId();
                    case SPAN_ID -> record.spanId();
                    case 5 -> record.serviceVersion();
                    case 6 -> record.stream();
                    default -> throw new IndexOutOfBoundsException(index);
                };
        return value == null || value.isEmpty() ? null : value;
    }

    /** Whether metadata {@code index} differs from entry to entry (the trace and span ids): see {@link #idUtf8}. */
    static boolean isId(int index) {
        return index == TRACE_ID || index == SPAN_ID;
    }

    /** {@link #metadataValue} of an {@link #isId id} as UTF-8 (shared, not to be modified), or null when absent. */
    byte[] idUtf8(int index, LogRecord record) {
        byte[] value =
                switch (index) {
                    case TRACE_ID -> record.traceIdUtf8();
                    case SPAN_ID -> record.spanIdUtf8();
                    default -> throw new IllegalArgumentException("not an id: " + METADATA_NAMES[index]);
                };
        return value == null || value.length == 0 ? null : value;
    }

    private StreamLabels labelsFor(StreamKey key) {
        StreamLabels labels = labelsByStream.get(key);
        if (labels == null) {
            labels = render(key.origin(), key.serviceName());
            if (labelsByStream.size() < MAX_CACHED_LABEL_SETS) {
                labelsByStream.put(key, labels);
            }
        }
        return labels;
    }

    private static StreamLabels render(Identity identity, String serviceName) {
        List<String> names = new ArrayList<>(4);
        List<String> values = new ArrayList<>(4);
        addLabel(names, values, "cluster", identity.cluster());
        addLabel(names, values, "container", identity.container());
        addLabel(names, values, "namespace", identity.namespace());
        addLabel(names, values, "service_name", serviceName);
        StringBuilder selector = new StringBuilder("{");
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                selector.append(", ");
            }
            selector.append(names.get(i)).append("=\"");
            appendEscaped(selector, values.get(i));
            selector.append('"');
        }
        return new StreamLabels(
                List.copyOf(names), List.copyOf(values), selector.append('}').toString());
    }

    private static void addLabel(List<String> names, List<String> values, String name, String value) {
        if (value != null && !value.isEmpty()) {
            names.add(name);
            values.add(value);
        }
    }

    /** Label values in a selector are Go-style quoted strings (Loki parses them with PromQL's parser). */
    private static void appendEscaped(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }
}
