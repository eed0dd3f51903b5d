package io.sightline.sidecar.node.meta;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The pods of this node by log uid, at most {@code maxPods} of them. A deleted pod stays findable for
 * {@code deletedGrace}: its containers' last lines are usually read after the API server reported the
 * deletion, and should still carry its service name. At the bound, deleted pods go first (oldest
 * deletion first), then the pod updated longest ago; a pod that is no longer cached is shipped with
 * its path-only identity. Thread-safe (the watch writes, readers look up).
 */
public final class PodMetadataCache {

    private static final long LIVE = Long.MIN_VALUE;

    private final int maxPods;
    private final long graceNanos;
    private final LongSupplier nanoTime;
    // insertion order = update order: the eldest entry is the pod updated longest ago
    private final LinkedHashMap<String, Entry> pods = new LinkedHashMap<>();
    private final ArrayDeque<Deletion> deletions = new ArrayDeque<>();

    public PodMetadataCache(int maxPods, Duration deletedGrace, LongSupplier nanoTime) {
        if (maxPods < 1) {
            throw new IllegalArgumentException("maxPods must be positive: " + maxPods);
        }
        if (deletedGrace.isNegative()) {
            throw new IllegalArgumentException("deletedGrace must not be negative: " + deletedGrace);
        }
        this.maxPods = maxPods;
        this.graceNanos = deletedGrace.toNanos();
        this.nanoTime = nanoTime;
    }

    public synchronized void upsert(PodMetadata pod) {
        expire();
        pods.remove(pod.logUid());
        pods.put(pod.logUid(), new Entry(pod, LIVE));
        while (pods.size() > maxPods) {
            evictOne();
        }
    }

    /** The pod is gone from the API server; it stays findable for the grace period. */
    public synchronized void deleted(String logUid) {
        expire();
        Entry entry = pods.get(logUid);
        if (entry == null || entry.deletedAt != LIVE) {
            return;
        }
        long now = nanoTime.getAsLong();
        pods.put(logUid, new Entry(entry.pod, now));
        deletions.addLast(new Deletion(logUid, now));
    }

    public synchronized Optional<PodMetadata> find(String logUid) {
        expire();
        Entry entry = pods.get(logUid);
        return entry == null ? Optional.empty() : Optional.of(entry.pod);
    }

    /**
     * Whether the API server reported the pod deleted (and it is still within its grace period): its containers
     * will write nothing more, so their files can be drained, flushed and closed.
     */
    public synchronized boolean isDeleted(String logUid) {
        expire();
        Entry entry = pods.get(logUid);
        return entry != null && entry.deletedAt != LIVE;
    }

    public synchronized int size() {
        expire();
        return pods.size();
    }

    private void expire() {
        long now = nanoTime.getAsLong();
        while (!deletions.isEmpty() && now - deletions.peekFirst().at >= graceNanos) {
            removeIfStillDeleted(deletions.pollFirst());
        }
    }

    private void evictOne() {
        while (!deletions.isEmpty()) {
            if (removeIfStillDeleted(deletions.pollFirst())) {
                return;
            }
        }
        Iterator<Map.Entry<String, Entry>> eldest = pods.entrySet().iterator();
        eldest.next();
        eldest.remove();
    }

    /** Removes the pod if this deletion is still its current state (it was not re-added or evicted since). */
    private boolean removeIfStillDeleted(Deletion deletion) {
        Entry entry = pods.get(deletion.logUid);
        if (entry != null && entry.deletedAt == deletion.at) {
            pods.remove(deletion.logUid);
            return true;
        }
        return false;
    }

    private record Entry(PodMetadata pod, long deletedAt) {}

    private record Deletion(String logUid, long at) {}
}
