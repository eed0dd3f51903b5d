package io.sightline.collector.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sightline.collector.config.CollectorProperties;
import io.sightline.collector.occurrence.NamespaceListener;
import io.sightline.collector.watch.KubeEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's metrics, named as in docs/telemetry-contract.md section 4. Labels never carry object names:
 * {@code sightline_kube_events_total} has namespace, kind, reason and type only.
 * <p>
 * Its series are bounded: {@code reason} and {@code kind} are free text that anyone allowed to create events
 * can set, so only the first {@code max-reasons} / {@code max-kinds} distinct values get their own series and the
 * rest are counted as {@value #OTHER}; a namespace's series are removed when it had no events for 30 minutes. The series
 * the alert rules read ({@code preset-series}) exist at 0 on every replica for every namespace that has events,
 * so {@code increase()} sees the first occurrence, also on a replica that takes over.
 */
public final class CollectorMetrics implements NamespaceListener {

    static final String OTHER = "other";
    /** Longer than the longest window an alert rule looks back over ({@code increase(...[15m])}). */
    static final Duration EMPTY_NAMESPACE_GRACE = Duration.ofMinutes(30);

    private static final Logger log = LoggerFactory.getLogger(CollectorMetrics.class);

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

    /** {@code checkpoint_failures_total} operations. */
    public enum CheckpointOperation {
        READ("read"),
        WRITE("write");

        private final String label;

        CheckpointOperation(String label) {
            this.label = label;
        }
    }

    private final MeterRegistry registry;
    private final Clock clock;
    private final List<EventKey> presets;
    private final int maxReasons;
    private final int maxKinds;
    private final ConcurrentMap<EventKey, Counter> eventCounters = new ConcurrentHashMap<>();
    private final Map<String, Long> emptySinceMillis = new HashMap<>();
    private final Set<String> reasons = new HashSet<>();
    private final Set<String> kinds = new HashSet<>();
    private final Counter relists;
    private final Counter watchErrors;
    private final Counter written;
    private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
    private final Map<CheckpointOperation, Counter> checkpointFailures = new EnumMap<>(CheckpointOperation.class);
    private final AtomicLong leader = new AtomicLong();
    private final AtomicLong lastEventMillis = new AtomicLong();
    private final AtomicLong checkpointSavedMillis = new AtomicLong();
    private final AtomicLong checkpointBytes = new AtomicLong();

    public CollectorMetrics(MeterRegistry registry, CollectorProperties.Metrics config, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.presets = config.presetSeries().stream().map(EventKey::parse).toList();
        this.maxReasons = config.maxReasons();
        this.maxKinds = config.maxKinds();
        presets.forEach(p -> {
            reasons.add(p.reason);
            kinds.add(p.kind);
        });
        this.relists = Counter.builder("sightline.event.collector.relists")
                .description("Re-lists of events after the first list (410 Gone or a failed watch)")
                .register(registry);
        this.watchErrors = Counter.builder("sightline.event.collector.watch.errors")
                .description("Failed or interrupted list/watch requests")
                .register(registry);
        this.written = Counter.builder("sightline.event.collector.records.written")
                .description("Records written to the output file and flushed")
                .register(registry);
        for (DropReason reason : DropReason.values()) {
            dropped.put(
                    reason,
                    labelled("sightline.event.collector.records.dropped", "reason", reason.label)
                            .description("Records not written, by reason")
                            .register(registry));
        }
        for (CheckpointOperation operation : CheckpointOperation.values()) {
            checkpointFailures.put(
                    operation,
                    labelled("sightline.event.collector.checkpoint.failures", "operation", operation.label)
                            .description("Failed reads and writes of the checkpoint ConfigMap")
                            .register(registry));
        }
        Gauge.builder("sightline.event.collector.leader", leader, AtomicLong::get)
                .description("1 while this instance leads and emits, else 0")
                .register(registry);
        Gauge.builder("sightline.event.collector.last.event.timestamp.seconds", lastEventMillis, v -> v.get() / 1000.0)
                .description(
                        "When the collector saw the latest occurrence it emitted (its clock), seconds since the epoch")
                .register(registry);
        Gauge.builder("sightline.event.collector.checkpoint.age.seconds", this, CollectorMetrics::checkpointAgeSeconds)
                .description("Seconds since the leader last wrote its checkpoint; 0 on replicas that do not lead")
                .register(registry);
        Gauge.builder("sightline.event.collector.checkpoint.size.bytes", checkpointBytes, AtomicLong::get)
                .description("Size of the checkpoint this replica wrote last (compressed, before base64)")
                .register(registry);
    }

    /** Adds {@code increase} occurrences; {@code seenAtMillis} is when the collector saw them (its clock). */
    public void occurrences(KubeEvent event, long increase, long seenAtMillis) {
        if (increase > 0) {
            counter(new EventKey(event.namespace(), kind(event.kind()), reason(event.reason()), event.type()))
                    .increment(increase);
        }
        lastEventMillis.accumulateAndGet(seenAtMillis, Math::max);
    }

    /** The namespace's first event (on any replica): the preset series appear at 0. */
    @Override
    public synchronized void namespaceAppeared(String namespace) {
        emptySinceMillis.remove(namespace);
        presets.forEach(p -> counter(new EventKey(namespace, p.kind, p.reason, p.type)));
        removeLongEmptyNamespaces();
    }

    /**
     * The namespace's last event is gone (expired, or the namespace was deleted): its series go once it stayed
     * without events for {@link #EMPTY_NAMESPACE_GRACE}, longer than the windows the alert rules look back.
     */
    @Override
    public synchronized void namespaceGone(String namespace) {
        emptySinceMillis.put(namespace, clock.millis());
        removeLongEmptyNamespaces();
    }

    /** Removes the series of namespaces that have had no events for the grace period. */
    public synchronized void removeLongEmptyNamespaces() {
        long cutoff = clock.millis() - EMPTY_NAMESPACE_GRACE.toMillis();
        emptySinceMillis.entrySet().removeIf(empty -> {
            if (empty.getValue() > cutoff) {
                return false;
            }
            eventCounters.keySet().removeIf(key -> {
                if (!key.namespace.equals(empty.getKey())) {
                    return false;
                }
                registry.remove(eventCounters.get(key));
                return true;
            });
            return true;
        });
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

    public void checkpointSaved(int bytes) {
        checkpointSavedMillis.set(clock.millis());
        checkpointBytes.set(bytes);
    }

    public void checkpointFailed(CheckpointOperation operation) {
        checkpointFailures.get(operation).increment();
    }

    private double checkpointAgeSeconds() {
        long saved = checkpointSavedMillis.get();
        return leader.get() == 1 && saved > 0 ? (clock.millis() - saved) / 1000.0 : 0;
    }

    private static Counter.Builder labelled(String name, String label, String value) {
        return Counter.builder(name).tag(label, value);
    }

    private Counter counter(EventKey key) {
        return eventCounters.computeIfAbsent(key, k -> Counter.builder("sightline.kube.events")
                .description("Occurrences of Kubernetes events (increase of the event's count)")
                .tag("namespace", k.namespace)
                .tag("kind", k.kind)
                .tag("reason", k.reason)
                .tag("type", k.type)
                .register(registry));
    }

    private synchronized String reason(String reason) {
        return capped(reasons, orEmpty(reason), maxReasons, "reason", "max-reasons");
    }

    private synchronized String kind(String kind) {
        return capped(kinds, orEmpty(kind), maxKinds, "kind", "max-kinds");
    }

    private static String capped(Set<String> admitted, String value, int max, String label, String property) {
        if (admitted.contains(value)) {
            return value;
        }
        if (admitted.size() < max) {
            admitted.add(value);
            return value;
        }
        if (admitted.add(OTHER)) {
            log.warn(
                    "More than {} distinct event {} values: further ones are counted as {}=\"{}\" "
                            + "(sightline.collector.metrics.{} raises the limit)",
                    max,
                    label,
                    label,
                    OTHER,
                    property);
        }
        return OTHER;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private record EventKey(String namespace, String kind, String reason, String type) {
        EventKey {
            namespace = orEmpty(namespace);
            kind = orEmpty(kind);
            reason = orEmpty(reason);
            type = orEmpty(type);
        }

        /** {@code Kind/Reason/Type}, as in {@code sightline.collector.metrics.preset-series} (validated there). */
        static EventKey parse(String preset) {
            String[] parts = preset.split("/", -1);
            return new EventKey("", parts[0], parts[1], parts[2]);
        }
    }
}
