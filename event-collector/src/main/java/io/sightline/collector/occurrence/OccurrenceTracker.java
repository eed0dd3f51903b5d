package io.sightline.collector.occurrence;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.sightline.collector.watch.KubeEvent;

/**
 * Decides what is a new occurrence, by comparing an event's count with the count last emitted for its uid:
 * a first sighting or a raised count is an occurrence; a resync, a re-list or an update that leaves the count
 * alone is not. Only compact state per uid is kept. Not thread-safe: the collector calls it under one lock.
 */
final class OccurrenceTracker {

    private final Map<String, Emitted> emitted = new HashMap<>();

    /** Returns the occurrence this sighting represents, and remembers it as emitted. */
    Optional<Occurrence> observe(KubeEvent event) {
        Emitted previous = emitted.get(event.uid());
        long before = previous == null ? 0 : previous.count();
        if (event.count() <= before) {
            return Optional.empty();
        }
        emitted.put(event.uid(), new Emitted(event.count(), event.occurredAt().toEpochMilli()));
        return Optional.of(new Occurrence(event, event.count() - before));
    }

    /** Remembers an event as already emitted without emitting it (state inherited from before a restart). */
    void markEmitted(KubeEvent event) {
        emitted.merge(
                event.uid(),
                new Emitted(event.count(), event.occurredAt().toEpochMilli()),
                (old, now) -> old.count() >= now.count() ? old : now);
    }

    /** The event is gone from the API server; it can never occur again under this uid. */
    void forget(String uid) {
        emitted.remove(uid);
    }

    /** Replaces all state, e.g. with a checkpoint when becoming leader. */
    void reset(Map<String, Emitted> state) {
        emitted.clear();
        emitted.putAll(state);
    }

    /** Drops state for uids that no longer exist (they will get no delete notification). */
    void retainOnly(Set<String> existingUids) {
        emitted.keySet().retainAll(existingUids);
    }

    boolean contains(String uid) {
        return emitted.containsKey(uid);
    }

    /** State worth checkpointing: occurrences younger than {@code cutoff}. */
    Map<String, Emitted> snapshotSince(Instant cutoff) {
        long cutoffMillis = cutoff.toEpochMilli();
        Map<String, Emitted> copy = new HashMap<>();
        emitted.forEach((uid, e) -> {
            if (e.occurredAtMillis() >= cutoffMillis) {
                copy.put(uid, e);
            }
        });
        return copy;
    }
}
