package io.sightline.collector.occurrence;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.sightline.collector.MockCluster;
import io.sightline.collector.config.CollectorProperties;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static io.sightline.collector.occurrence.TestEvents.T0;
import static io.sightline.collector.occurrence.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

class EventFilterTest {

    @Test
    void defaultsAcceptEverything() {
        EventFilter filter = new EventFilter(properties(List.of(), List.of(), "Normal", ""));
        assertThat(filter.accepts(event("a", "any", "Started", "Normal", 1, T0)))
                .isTrue();
    }

    @Test
    void namespacesExclusionsTypeAndReasonsNarrowTheScope() {
        EventFilter filter = new EventFilter(properties(List.of("shop", "web"), List.of(), "Warning", "Pulled|Back"));
        assertThat(filter.accepts(event("a", "shop", "BackOff", "Warning", 1, T0)))
                .isTrue();
        assertThat(filter.accepts(event("b", "other", "BackOff", "Warning", 1, T0)))
                .as("namespace not watched")
                .isFalse();
        assertThat(filter.accepts(event("c", "shop", "Scheduled", "Normal", 1, T0)))
                .as("below the minimum type")
                .isFalse();
        assertThat(filter.accepts(event("d", "web", "Pulled", "Warning", 1, T0)))
                .as("reason dropped")
                .isFalse();
        assertThat(filter.accepts(event("e", "web", "Back", "Warning", 1, T0))).isFalse();
        EventFilter excluding = new EventFilter(properties(List.of(), List.of("kube-system"), "Normal", ""));
        assertThat(excluding.accepts(event("f", "kube-system", "Pulled", "Normal", 1, T0)))
                .isFalse();
    }

    private static CollectorProperties properties(
            List<String> namespaces, List<String> excluded, String minimumType, String dropReasons) {
        return new CollectorProperties(
                true,
                namespaces,
                excluded,
                minimumType,
                dropReasons,
                "auto",
                Duration.ofHours(1),
                "",
                0,
                new CollectorProperties.Output(Path.of("x.log"), 10, DataSize.ofMegabytes(1), 1),
                new CollectorProperties.Checkpoint(true, "cp", Duration.ofSeconds(5)),
                new CollectorProperties.LeaderElection(
                        true, "lease", Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2)),
                MockCluster.DEFAULT_METRICS);
    }
}
