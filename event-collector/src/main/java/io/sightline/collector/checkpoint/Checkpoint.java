package io.sightline.collector.checkpoint;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import io.sightline.collector.occurrence.Emitted;

/**
 * What the leader had emitted at {@code savedAt}: per event uid the last count emitted. Until {@code savedAt}
 * the leader's view was complete, which is what gap detection relies on.
 */
public record Checkpoint(Instant savedAt, Map<String, Emitted> emitted) {

    public Checkpoint {
        savedAt = savedAt.truncatedTo(ChronoUnit.MILLIS); // what the stored form keeps
        emitted = Map.copyOf(emitted);
    }
}
