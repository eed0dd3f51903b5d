package io.sightline.collector.occurrence;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static io.sightline.collector.occurrence.TestEvents.T0;
import static io.sightline.collector.occurrence.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

class OccurrenceTrackerTest {

    private final OccurrenceTracker tracker = new OccurrenceTracker();

    @Test
    void firstSightingAndRaisedCountAreOccurrencesWithTheirIncrease() {
        assertThat(tracker.observe(event("a", 3, T0)))
                .hasValueSatisfying(o -> assertThat(o.increase()).isEqualTo(3));
        assertThat(tracker.observe(event("a", 5, T0.plusSeconds(1))))
                .hasValueSatisfying(o -> assertThat(o.increase()).isEqualTo(2));
    }

    @Test
    void unchangedOrLowerCountIsNoOccurrence() {
        tracker.observe(event("a", 3, T0));
        assertThat(tracker.observe(event("a", 3, T0))).isEmpty();
        assertThat(tracker.observe(event("a", 2, T0))).isEmpty();
    }

    @Test
    void forgottenUidCountsAgainFromZero() {
        tracker.observe(event("a", 3, T0));
        tracker.forget("a");
        assertThat(tracker.observe(event("a", 3, T0)))
                .hasValueSatisfying(o -> assertThat(o.increase()).isEqualTo(3));
    }

    @Test
    void markEmittedKeepsTheHigherCountAndRetainOnlyDropsTheRest() {
        tracker.reset(Map.of("a", new Emitted(4, T0.toEpochMilli()), "b", new Emitted(1, T0.toEpochMilli())));
        tracker.markEmitted(event("a", 2, T0));
        assertThat(tracker.observe(event("a", 4, T0))).isEmpty();
        tracker.retainOnly(Set.of("a"));
        assertThat(tracker.contains("b")).isFalse();
    }

    @Test
    void snapshotHoldsOnlyOccurrencesSinceTheCutoff() {
        tracker.observe(event("old", 1, T0));
        tracker.observe(event("new", 2, T0.plusSeconds(60)));
        assertThat(tracker.snapshotSince(T0.plusSeconds(30))).containsOnlyKeys("new");
    }
}
