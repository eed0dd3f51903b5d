package io.sightline.collector.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sightline.collector.watch.KubeEvent;

/**
 * The collector's metrics, named as in docs/telemetry-contract.md section 4. Labels never carry object names:
 * {@code sightline_kube_events_total} has namespace, kind, reason and type only.
 */
public final class CollectorMetrics {

    /** {@code records_dropped_total} reasons. */
    public enum DropReason {
        /** the writer's queue was full */
        OVERFLOW("overflow"),
        /** the output file could not be written */
        WRITE_ERROR("write_error"),
        /** the event could not be read (no uid, bad timestamp) */
        INVALID("invalid"),
        /** occurrences lost while no collector was watching (events expired first); counted once per gap */
        GAP("gap");

        private final String label;

        DropReason(String label) {
            this.label = label;
        }
    }

    private final MeterRegistry registry;
    private final ConcurrentMap<EventKey, Counter> eventCounters = new ConcurrentHashMap<>();
    private final Counter relists;
    private final Counter watchErrors;
    private final Counter written;
    private final ConcurrentMap<DropReason, Counter> dropped = new ConcurrentHashMap<>();
    private final AtomicLong leader = new AtomicLong();
    private final AtomicLong lastEventMillis = new AtomicLong();

    public CollectorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.relists = Counter.builder("sightline.event.collector.relists")
                .description("Re-lists of events after the first list (410 Gone or a failed watch)")
                .register(registry);
        this.watchErrors = Counter.builder("sightline.event.collector.watch.errors")
                .description("Failed or interrupted list/watch requests")
                .register(registry);
        this.written = Counter.builder("sightline.event.collector.records.written")
                .description("Records written to the output file")
                .register(registry);
        for (DropReason reason : DropReason.values()) {
            dropped.put(
                    reason,
                    Counter.builder("sightline.event.collector.records.dropped")
                            .tag("reason", reason.label)
                            .description("Records not written, by reason")
                            .register(registry));
        }
        Gauge.builder("sightline.event.collector.leader", leader, AtomicLong::get)
                .description("1 while this instance leads and emits, else 0")
                .register(registry);
        Gauge.builder("sightline.event.collector.last.event.timestamp.seconds", lastEventMillis, v -> v.get() / 1000.0)
                .description("Occurrence time of the latest record emitted, seconds since the epoch")
                .register(registry);
    }

    public void occurrences(KubeEvent event, long increase) {
        EventKey key = new EventKey(event.namespace(), event.kind(), event.reason(), event.type());
        eventCounters
                .computeIfAbsent(key, k -> Counter.builder("sightline.kube.events")
                        .description("Occurrences of Kubernetes events (increase of the event's count)")
                        .tag("namespace", k.namespace)
                        .tag("kind", k.kind)
                        .tag("reason", k.reason)
                        .tag("type", k.type)
                        .register(registry))
                .increment(increase);
        lastEventMillis.accumulateAndGet(event.occurredAt().toEpochMilli(), Math::max);
    }

    public void relisted() {
        relists.increment();
    }

    public void watchError() {
        watchErrors.increment();
    }

    public void written() {
        written.increment();
    }

    public void dropped(DropReason reason) {
        dropped.get(reason).increment();
    }

    public void leader(boolean leading) {
        leader.set(leading ? 1 : 0);
    }

    private record EventKey(String namespace, String kind, String reason, String type) {
        EventKey {
            namespace = orEmpty(namespace);
            kind = orEmpty(kind);
            reason = orEmpty(reason);
            type = orEmpty(type);
        }

        private static String orEmpty(String value) {
            return value == null ? "" : value;
        }
    }
}
