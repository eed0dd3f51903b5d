package io.sightline.collector.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sightline.collector.MutableClock;
import io.sightline.collector.config.CollectorProperties;
import io.sightline.collector.watch.KubeEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Cases 7 and 8: the series the alerts read exist at 0; free-text labels and deleted namespaces stay bounded. */
class CollectorMetricsTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock();
    private final CollectorMetrics metrics = new CollectorMetrics(
            registry, new CollectorProperties.Metrics(List.of("Pod/BackOff/Warning"), 3, 2), clock);

    @Test
    void aNamespaceWithEventsHasThePresetSeriesAtZero() {
        metrics.namespaceAppeared("shop");
        assertThat(count("shop", "Pod", "BackOff", "Warning")).isZero();
        assertThat(registry.find("sightline.kube.events").counters()).hasSize(1);
    }

    @Test
    void reasonsAndKindsBeyondTheCapAreCountedAsOther() {
        for (int i = 0; i < 5; i++) {
            metrics.occurrences(event("shop", "Kind" + i, "Reason" + i), 1, T0.toEpochMilli());
        }
        // the preset's Pod and BackOff are admitted first: 2 kinds and 3 reasons in all
        assertThat(registry.find("sightline.kube.events").tag("kind", "other").counters())
                .isNotEmpty();
        assertThat(registry.find("sightline.kube.events").counters().stream()
                        .map(c -> c.getId().getTag("reason"))
                        .distinct())
                .containsExactlyInAnyOrder("Reason0", "Reason1", "other");
        assertThat(registry.find("sightline.kube.events").counters().stream()
                        .mapToDouble(Counter::count)
                        .sum())
                .isEqualTo(5);
    }

    @Test
    void theSeriesOfANamespaceWithoutEventsGoAfterTheGracePeriod() {
        metrics.namespaceAppeared("gone");
        metrics.occurrences(event("gone", "Pod", "Killing"), 2, T0.toEpochMilli());
        metrics.namespaceGone("gone");
        metrics.removeLongEmptyNamespaces();
        assertThat(registry.find("sightline.kube.events")
                        .tag("namespace", "gone")
                        .counters())
                .as("kept during the grace period")
                .hasSize(2);
        clock.advance(CollectorMetrics.EMPTY_NAMESPACE_GRACE.plus(Duration.ofSeconds(1)));
        metrics.removeLongEmptyNamespaces();
        assertThat(registry.find("sightline.kube.events")
                        .tag("namespace", "gone")
                        .counters())
                .isEmpty();
    }

    @Test
    void theLastEventGaugeFollowsTheCollectorsObservationTime() {
        metrics.occurrences(event("shop", "Pod", "BackOff"), 1, T0.toEpochMilli());
        assertThat(registry.get("sightline.event.collector.last.event.timestamp.seconds")
                        .gauge()
                        .value())
                .isEqualTo(T0.getEpochSecond());
    }

    private double count(String namespace, String kind, String reason, String type) {
        return registry.get("sightline.kube.events")
                .tags("namespace", namespace, "kind", kind, "reason", reason, "type", type)
                .counter()
                .count();
    }

    private static KubeEvent event(String namespace, String kind, String reason) {
        return new KubeEvent(
                "u",
                namespace,
                "e",
                T0,
                kind,
                "x",
                reason,
                "Warning",
                "m",
                1,
                Instant.parse("2099-01-01T00:00:00Z"),
                T0,
                "c",
                "i");
    }
}
