package io.sightline.collector.occurrence;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;

/**
 * What the leader had emitted at {@code savedAt}: per event uid the last count emitted. Until {@code savedAt}
 * the leader's view was complete, which is what gap detection relies on.
 */
public final class Checkpoint {

    private final Instant savedAt;
    private final Map<String, Emitted> emitted;

    Checkpoint(Instant savedAt, Map<String, Emitted> emitted) {
        this.savedAt = savedAt.truncatedTo(ChronoUnit.MILLIS); // what the stored form keeps
        this.emitted = Map.copyOf(emitted);
    }

    public Instant savedAt() {
        return savedAt;
    }

    /** The event uids this checkpoint says were emitted. */
    public Set<String> uids() {
        return emitted.keySet();
    }

    Map<String, Emitted> emitted() {
        return emitted;
    }
}
