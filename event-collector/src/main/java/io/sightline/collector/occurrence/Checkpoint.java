package io.sightline.collector.occurrence;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;

/**
 * What the leader had written at {@code savedAt}: per event uid the count up to which records were written and
 * flushed. An event it does not list that the collector saw change before {@code horizon} was written before and
 * left out (pruned after the TTL, or dropped because a ConfigMap holds at most 1 MiB). Until {@code savedAt} the
 * leader's view was complete, which is what gap detection relies on.
 */
public final class Checkpoint {

    private final Instant savedAt;
    private final Instant horizon;
    private final Map<String, Emitted> emitted;

    Checkpoint(Instant savedAt, Instant horizon, Map<String, Emitted> emitted) {
        this.savedAt = savedAt.truncatedTo(ChronoUnit.MILLIS); // what the stored form keeps
        this.horizon = horizon.truncatedTo(ChronoUnit.MILLIS);
        this.emitted = Map.copyOf(emitted);
    }

    public Instant savedAt() {
        return savedAt;
    }

    Instant horizon() {
        return horizon;
    }

    /** The event uids this checkpoint lists. */
    public Set<String> uids() {
        return emitted.keySet();
    }

    /** The count up to which records of {@code uid} were written, 0 when it is not listed. */
    public long written(String uid) {
        Emitted e = emitted.get(uid);
        return e == null ? 0 : e.count();
    }

    Map<String, Emitted> emitted() {
        return emitted;
    }
}
