package io.sightline.collector.occurrence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.sightline.collector.watch.KubeEvent;
import org.junit.jupiter.api.Test;

import static io.sightline.collector.occurrence.TestEvents.T0;
import static io.sightline.collector.occurrence.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

class OccurrenceTrackerTest {

    private static final long NOW = T0.toEpochMilli();
    private final List<String> namespaceChanges = new ArrayList<>();
    private final OccurrenceTracker tracker = new OccurrenceTracker(new NamespaceListener() {
        @Override
        public void namespaceAppeared(String namespace) {
            namespaceChanges.add("+" + namespace);
        }

        @Override
        public void namespaceGone(String namespace) {
            namespaceChanges.add("-" + namespace);
        }
    });

    @Test
    void firstSightingAndRaisedCountAreOccurrencesWithTheirIncrease() {
        assertThat(claim(event("a", 3, T0)))
                .hasValueSatisfying(o -> assertThat(o.increase()).isEqualTo(3));
        assertThat(claim(event("a", 5, T0)))
                .hasValueSatisfying(o -> assertThat(o.increase()).isEqualTo(2));
        assertThat(claim(event("a", 5, T0))).as("unchanged").isEmpty();
        assertThat(claim(event("a", 4, T0))).as("lower").isEmpty();
    }

    @Test
    void onlyWhatTheWriterConfirmedEntersTheCheckpoint() {
        claim(event("queued", 1, T0));
        claim(event("written", 2, T0));
        claim(event("lost", 1, T0));
        tracker.written("written", 2);
        tracker.notWritten("lost");

        assertThat(listed())
                .containsEntry("queued", 0L)
                .containsEntry("written", 2L)
                .containsEntry("lost", 0L);
        assertThat(tracker.toRetry()).containsExactly("lost");
        assertThat(tracker.retry(event("lost", 1, T0)))
                .hasValueSatisfying(
                        o -> assertThat(o.increase()).as("counted once").isZero());
        assertThat(tracker.toRetry()).as("in flight again").isEmpty();
        tracker.written("lost", 1);
        assertThat(listed()).containsEntry("lost", 1L);
    }

    @Test
    void recreatedEventAddsOnlyItsIncreaseByNameOrByItsOldFirstOccurrence() {
        KubeEvent first = event("u1", 3, T0);
        claim(first);
        tracker.gone(first);
        KubeEvent recreated = new KubeEvent(
                "u2", "shop", first.eventName(), T0, "Pod", "web-1", "BackOff", "Warning", "m", 4, T0, T0, "k", "n");
        assertThat(claim(recreated))
                .hasValueSatisfying(o -> assertThat(o.increase()).isEqualTo(1));

        // not seen before (e.g. after a restart), but its first occurrence is long before the object was created
        KubeEvent unknownRecreated = new KubeEvent(
                "u3",
                "shop",
                "other.1",
                T0,
                "Pod",
                "web-2",
                "BackOff",
                "Warning",
                "m",
                9,
                T0,
                T0.minus(Duration.ofHours(2)),
                "k",
                "n");
        assertThat(claim(unknownRecreated))
                .hasValueSatisfying(o -> assertThat(o.increase()).isEqualTo(1));
        KubeEvent genuinelyNew = new KubeEvent(
                "u4", "shop", "new.1", T0, "Pod", "web-3", "BackOff", "Warning", "m", 9, T0, T0, "k", "n");
        assertThat(claim(genuinelyNew))
                .hasValueSatisfying(o -> assertThat(o.increase()).isEqualTo(9));
    }

    @Test
    void takeOverInheritsUnlistedEventsThisReplicaSawBeforeTheHorizonByItsOwnClock() {
        tracker.see(event("old", 2, Instant.parse("2030-01-01T00:00:00Z")), NOW); // a forged future time
        tracker.see(event("recent", 1, T0.minus(Duration.ofDays(2))), NOW + 60_000); // a forged old time
        tracker.see(event("listed", 5, T0), NOW + 60_000);
        Checkpoint checkpoint =
                new Checkpoint(T0.plusSeconds(120), T0.plusSeconds(30), Map.of("listed", new Emitted(4, NOW, true)));

        tracker.takeOver(Optional.of(checkpoint), Duration.ofSeconds(5));

        assertThat(tracker.claim(tracker.entry("old"), event("old", 2, T0)))
                .as("seen before the horizon")
                .isEmpty();
        assertThat(tracker.claim(tracker.entry("recent"), event("recent", 1, T0)))
                .as("seen after the horizon, whatever its own time says")
                .isPresent();
        assertThat(tracker.claim(tracker.entry("listed"), event("listed", 5, T0)))
                .hasValueSatisfying(o -> assertThat(o.increase()).isEqualTo(1));
    }

    @Test
    void namespacesAreReportedWithTheirFirstAndWithoutTheirLastEvent() {
        KubeEvent a = event("a", "shop", "BackOff", "Warning", 1, T0);
        KubeEvent b = event("b", "shop", "BackOff", "Warning", 1, T0);
        tracker.see(a, NOW);
        tracker.see(b, NOW);
        tracker.gone(a);
        tracker.retainOnly(Set.of());
        assertThat(namespaceChanges).containsExactly("+shop", "-shop");
    }

    private Optional<Occurrence> claim(KubeEvent event) {
        return tracker.claim(tracker.see(event, NOW), event);
    }

    private Map<String, Long> listed() {
        Map<String, Long> listed = new java.util.HashMap<>();
        tracker.checkpointEntries(0)
                .forEach(e -> listed.put(e.getKey(), e.getValue().count()));
        return listed;
    }
}
