package io.sightline.collector.occurrence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.sightline.collector.watch.KubeEvent;

/**
 * Per event uid, on every replica: the count last seen and when this replica saw it rise (the collector's clock,
 * never the event's). While leading also what was counted and handed to the writer, and what the writer confirmed
 * as written: only that enters the checkpoint. Not thread-safe: the collector calls it under one lock.
 */
final class OccurrenceTracker {

    /** The legacy recorder keeps this many events in its cache, so it recreates at most this many by name. */
    static final int RECENTLY_DELETED = 4096;
    /**
     * A first sighting whose first occurrence is older than the object by more than this was recreated (the legacy
     * recorder creates the event again after its update got 404) and carries counts reported under an old uid.
     */
    static final Duration RECREATED_AFTER = Duration.ofMinutes(5);

    /** What is known about one event uid. Counts are ints, as in the API. */
    static final class Entry {
        final String namespace;
        final String nameKey;
        /** the highest count seen, and when this replica saw it (epoch ms, the collector's clock) */
        int seen;

        long seenAtMillis;
        /** the part of the count already reported under an earlier uid of a recreated event */
        final int base;
        /** leader: the count up to which occurrences were counted and handed to the writer */
        int counted;
        /** leader: the count up to which records were written and flushed */
        int written;
        /** records of this uid waiting for the writer */
        int inFlight;

        Entry(String namespace, String nameKey, int seen, long seenAtMillis, int base) {
            this.namespace = namespace;
            this.nameKey = nameKey;
            this.seen = seen;
            this.seenAtMillis = seenAtMillis;
            this.base = base;
            // what an earlier uid reported is not counted again
            this.counted = base;
            this.written = base;
        }
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<String, Integer> trackedByNamespace = new HashMap<>();
    private final NamespaceListener namespaces;
    private final Set<String> unwritten = new HashSet<>();
    private final Map<String, Integer> recentlyDeleted = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > RECENTLY_DELETED;
        }
    };

    OccurrenceTracker(NamespaceListener namespaces) {
        this.namespaces = namespaces;
    }

    /** Remembers the sighting; a raised count moves the time it was seen. */
    Entry see(KubeEvent event, long nowMillis) {
        Entry entry = entries.get(event.uid());
        int count = (int) Math.min(event.count(), Integer.MAX_VALUE);
        if (entry == null) {
            String nameKey = event.namespace() + "/" + event.eventName();
            entry = new Entry(event.namespace(), nameKey, count, nowMillis, base(event, nameKey, count));
            entries.put(event.uid(), entry);
            if (trackedByNamespace.merge(event.namespace(), 1, Integer::sum) == 1) {
                namespaces.namespaceAppeared(event.namespace());
            }
        } else if (count > entry.seen) {
            entry.seen = count;
            entry.seenAtMillis = nowMillis;
        }
        return entry;
    }

    /**
     * Leader: the occurrence the seen count holds beyond what was counted, now counted and handed to the writer;
     * empty when there is none.
     */
    Optional<Occurrence> claim(Entry entry, KubeEvent event) {
        if (entry.seen <= entry.counted) {
            return Optional.empty();
        }
        long increase = entry.seen - entry.counted;
        entry.counted = entry.seen;
        entry.inFlight++;
        return Optional.of(new Occurrence(event, increase, entry.seenAtMillis));
    }

    /** The writer wrote and flushed the record of {@code uid} with {@code count}. */
    void written(String uid, long count) {
        Entry entry = entries.get(uid);
        if (entry == null) {
            return;
        }
        entry.inFlight = Math.max(0, entry.inFlight - 1);
        entry.written = (int) Math.max(entry.written, Math.min(count, entry.counted));
        if (entry.written >= entry.counted) {
            unwritten.remove(uid);
        }
    }

    /** The record of {@code uid} was lost (queue full, write error): it stays unwritten until retried. */
    void notWritten(String uid) {
        Entry entry = entries.get(uid);
        if (entry != null) {
            entry.inFlight = Math.max(0, entry.inFlight - 1);
            if (entry.written < entry.counted) {
                unwritten.add(uid);
            }
        }
    }

    /** Uids whose last record was lost and that have none waiting: their current state is written again. */
    Set<String> toRetry() {
        Set<String> retry = new HashSet<>();
        for (String uid : unwritten) {
            Entry entry = entries.get(uid);
            if (entry != null && entry.inFlight == 0 && entry.written < entry.counted) {
                retry.add(uid);
            }
        }
        return retry;
    }

    /** Leader: a record of the event's current state is handed to the writer again (counted already). */
    Optional<Occurrence> retry(KubeEvent event) {
        Entry entry = entries.get(event.uid());
        if (entry == null || entry.inFlight > 0 || entry.written >= entry.counted) {
            return Optional.empty();
        }
        entry.inFlight++;
        unwritten.remove(event.uid());
        return Optional.of(new Occurrence(event, 0, entry.seenAtMillis));
    }

    Entry entry(String uid) {
        return entries.get(uid);
    }

    /** The event is gone from the API server; its name remembers the count in case it is recreated. */
    void gone(KubeEvent event) {
        Entry entry = entries.remove(event.uid());
        unwritten.remove(event.uid());
        if (entry != null) {
            recentlyDeleted.put(entry.nameKey, entry.seen);
            untrack(entry);
        }
    }

    boolean tracks(String uid) {
        return entries.containsKey(uid);
    }

    private void untrack(Entry entry) {
        if (trackedByNamespace.computeIfPresent(entry.namespace, (ns, n) -> n > 1 ? n - 1 : null) == null) {
            namespaces.namespaceGone(entry.namespace);
        }
    }

    /** Drops state for uids that no longer exist (a safety net: deletes are notified). */
    void retainOnly(Set<String> existingUids) {
        entries.entrySet().removeIf(e -> {
            if (existingUids.contains(e.getKey())) {
                return false;
            }
            untrack(e.getValue());
            return true;
        });
        unwritten.retainAll(existingUids);
    }

    /**
     * Becoming leader: counted and written come from the checkpoint; an event it does not list was emitted before
     * when this replica saw its count before the checkpoint's horizon (less the clock skew tolerated between
     * nodes), else only the part reported under an earlier uid is taken as emitted.
     */
    void takeOver(Optional<Checkpoint> checkpoint, Duration skew) {
        long inheritBefore =
                checkpoint.map(c -> c.horizon().minus(skew).toEpochMilli()).orElse(Long.MIN_VALUE);
        Map<String, Emitted> listed = checkpoint.map(Checkpoint::emitted).orElse(Map.of());
        unwritten.clear();
        entries.forEach((uid, entry) -> {
            Emitted emitted = listed.get(uid);
            int known;
            if (emitted != null) {
                known = (int) Math.min(emitted.count(), entry.seen);
            } else if (entry.seenAtMillis < inheritBefore) {
                known = entry.seen;
            } else {
                known = entry.base;
            }
            entry.counted = known;
            entry.written = known;
        });
    }

    /** Leader: every entry seen within the TTL with its written count, oldest first. */
    List<Map.Entry<String, Emitted>> checkpointEntries(long seenSinceMillis) {
        List<Map.Entry<String, Emitted>> listed = new ArrayList<>();
        entries.forEach((uid, e) -> {
            if (e.seenAtMillis >= seenSinceMillis) {
                listed.add(Map.entry(uid, new Emitted(e.written, e.seenAtMillis, e.written >= e.seen)));
            }
        });
        listed.sort(Map.Entry.comparingByValue(java.util.Comparator.comparingLong(Emitted::seenAtMillis)));
        return listed;
    }

    /** How much of a first sighting's count was reported under an earlier uid of the same event. */
    private int base(KubeEvent event, String nameKey, int count) {
        Integer previous = recentlyDeleted.remove(nameKey);
        if (previous != null && previous < count) {
            return previous;
        }
        boolean recreated = count > 1
                && event.created() != null
                && event.firstSeen() != null
                && event.firstSeen().isBefore(event.created().minus(RECREATED_AFTER));
        return recreated ? count - 1 : 0;
    }
}
