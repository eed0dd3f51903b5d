package io.sightline.collector.watch;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;

/**
 * Maps both Event shapes onto {@link KubeEvent}: {@code regarding}/{@code note}/{@code series} of
 * {@code events.k8s.io/v1} and {@code involvedObject}/{@code message}/{@code count} of {@code core/v1}.
 * The occurrence time is {@code series.lastObservedTime}, else {@code lastTimestamp}, else {@code eventTime},
 * else {@code creationTimestamp}; an object without any of them (only seen from fakes) gets the time it was seen.
 * Kubernetes keeps events about cluster-scoped objects (nodes, volumes) in {@code default}; an event object
 * without a namespace (only seen from fakes) is put there too, so every record has one.
 */
public final class EventNormalizer {

    /** Where Kubernetes records events about cluster-scoped objects. */
    static final String CLUSTER_EVENTS_NAMESPACE = "default";

    private EventNormalizer() {}

    public static KubeEvent fromEventsV1(io.fabric8.kubernetes.api.model.events.v1.Event e, Instant now) {
        ObjectMeta meta = requireMeta(e.getMetadata());
        ObjectReference regarding = e.getRegarding() == null ? new ObjectReference() : e.getRegarding();
        var series = e.getSeries();
        Integer seriesCount = series == null ? null : series.getCount();
        MicroTime lastObserved = series == null ? null : series.getLastObservedTime();
        Instant created = parse(meta.getCreationTimestamp());
        Instant eventTime = parse(e.getEventTime());
        return new KubeEvent(
                meta.getUid(),
                namespace(meta),
                meta.getName(),
                created,
                regarding.getKind(),
                regarding.getName(),
                e.getReason(),
                e.getType(),
                e.getNote(),
                count(seriesCount, e.getDeprecatedCount()),
                firstNonNull(parse(lastObserved), parse(e.getDeprecatedLastTimestamp()), eventTime, created, now),
                firstNonNull(parse(e.getDeprecatedFirstTimestamp()), eventTime, created, now),
                e.getReportingController(),
                e.getReportingInstance());
    }

    public static KubeEvent fromCoreV1(io.fabric8.kubernetes.api.model.Event e, Instant now) {
        ObjectMeta meta = requireMeta(e.getMetadata());
        ObjectReference involved = e.getInvolvedObject() == null ? new ObjectReference() : e.getInvolvedObject();
        var series = e.getSeries();
        Integer seriesCount = series == null ? null : series.getCount();
        MicroTime lastObserved = series == null ? null : series.getLastObservedTime();
        Instant created = parse(meta.getCreationTimestamp());
        Instant eventTime = parse(e.getEventTime());
        String controller = e.getReportingComponent();
        if ((controller == null || controller.isEmpty()) && e.getSource() != null) {
            controller = e.getSource().getComponent();
        }
        return new KubeEvent(
                meta.getUid(),
                namespace(meta),
                meta.getName(),
                created,
                involved.getKind(),
                involved.getName(),
                e.getReason(),
                e.getType(),
                e.getMessage(),
                count(seriesCount, e.getCount()),
                firstNonNull(parse(lastObserved), parse(e.getLastTimestamp()), eventTime, created, now),
                firstNonNull(parse(e.getFirstTimestamp()), eventTime, created, now),
                controller,
                e.getReportingInstance());
    }

    /** A series count wins over the plain count; an event without either has happened once. */
    private static long count(Integer seriesCount, Integer plainCount) {
        if (seriesCount != null && seriesCount > 0) {
            return seriesCount;
        }
        return plainCount != null && plainCount > 0 ? plainCount : 1;
    }

    private static String namespace(ObjectMeta meta) {
        String namespace = meta.getNamespace();
        return namespace == null || namespace.isEmpty() ? CLUSTER_EVENTS_NAMESPACE : namespace;
    }

    private static ObjectMeta requireMeta(ObjectMeta meta) {
        if (meta == null || meta.getUid() == null || meta.getUid().isEmpty()) {
            throw new InvalidEventException("event without metadata.uid cannot be de-duplicated");
        }
        return meta;
    }

    private static Instant parse(MicroTime time) {
        return time == null ? null : parse(time.getTime());
    }

    private static Instant parse(String rfc3339) {
        if (rfc3339 == null || rfc3339.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(rfc3339).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("unparseable timestamp '" + rfc3339 + "'");
        }
    }

    private static Instant firstNonNull(Instant... candidates) {
        for (Instant candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }

    /** An event the collector cannot turn into a record; it is counted and logged, never fatal. */
    public static final class InvalidEventException extends RuntimeException {
        InvalidEventException(String message) {
            super(Objects.requireNonNull(message));
        }
    }
}
