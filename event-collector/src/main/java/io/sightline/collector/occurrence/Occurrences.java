package io.sightline.collector.occurrence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.sightline.collector.config.CollectorProperties;
import io.sightline.collector.watch.KubeEvent;

/**
 * The collector's rules in one place: which events are in scope, which sighting is a new occurrence, what a new
 * leader inherits from the checkpoint and whether it finds a gap. The rule classes behind it are package-private
 * and tested alone. Not thread-safe: the collector calls it under one lock.
 */
public final class Occurrences {

    private final EventFilter filter;
    private final OccurrenceTracker tracker = new OccurrenceTracker();
    private final Duration eventTtl;

    public Occurrences(CollectorProperties properties) {
        this.filter = new EventFilter(properties);
        this.eventTtl = properties.eventTtl();
    }

    /** The configured scope: events outside it are neither written, counted nor tracked. */
    public boolean accepts(KubeEvent event) {
        return filter.accepts(event);
    }

    /** The occurrence this sighting represents, remembered as emitted; empty when it is not new. */
    public Optional<Occurrence> observe(KubeEvent event) {
        return tracker.observe(event);
    }

    /** The event is gone from the API server; it can never occur again under this uid. */
    public void forget(String uid) {
        tracker.forget(uid);
    }

    /**
     * Becoming leader: seeds the state from the checkpoint (if any), inherits what the checkpoint pruned, and
     * returns what the stored events hold that was not emitted yet, and the gap the checkpoint reveals.
     */
    public Takeover takeOver(Optional<Checkpoint> checkpoint, List<KubeEvent> stored, Instant now) {
        List<KubeEvent> inScope = stored.stream().filter(filter::accepts).toList();
        tracker.reset(checkpoint.map(Checkpoint::emitted).orElse(Map.of()));
        Optional<Gap> gap = Optional.empty();
        if (checkpoint.isPresent()) {
            inheritPruned(checkpoint.get(), inScope);
            gap = Gap.between(checkpoint.get(), now, eventTtl);
        }
        Set<String> storedUids = new HashSet<>();
        inScope.forEach(e -> storedUids.add(e.uid()));
        tracker.retainOnly(storedUids);
        List<Occurrence> occurrences = new ArrayList<>();
        inScope.forEach(e -> tracker.observe(e).ifPresent(occurrences::add));
        return new Takeover(
                occurrences, gap.map(Gap::from).orElse(null), gap.map(Gap::to).orElse(null));
    }

    /** What to checkpoint now: occurrences younger than the event TTL. */
    public Checkpoint checkpoint(Instant now) {
        return new Checkpoint(now, tracker.snapshotSince(now.minus(eventTtl)));
    }

    /** The stored form of a checkpoint, at most {@code maxBytes}: the newest entries that fit. */
    public static byte[] encode(Checkpoint checkpoint, int maxBytes) {
        return CheckpointCodec.encode(checkpoint, maxBytes);
    }

    /** @throws IllegalArgumentException when the bytes are not a checkpoint this version can read */
    public static Checkpoint decode(byte[] stored) {
        return CheckpointCodec.decode(stored);
    }

    /**
     * The checkpoint only holds events younger than the TTL. A stored event older than that window which the
     * checkpoint does not know was emitted before it was pruned, so it is inherited instead of repeated.
     */
    private void inheritPruned(Checkpoint checkpoint, List<KubeEvent> stored) {
        Instant pruneHorizon = checkpoint.savedAt().minus(eventTtl);
        stored.stream()
                .filter(e -> !tracker.contains(e.uid()) && e.occurredAt().isBefore(pruneHorizon))
                .forEach(tracker::markEmitted);
    }

    /**
     * What a new leader emits first, and the gap its checkpoint reveals: occurrences between {@code gapFrom} and
     * {@code gapTo} may be lost (both null when there is none).
     */
    public record Takeover(List<Occurrence> occurrences, Instant gapFrom, Instant gapTo) {

        public boolean hasGap() {
            return gapFrom != null;
        }
    }
}
