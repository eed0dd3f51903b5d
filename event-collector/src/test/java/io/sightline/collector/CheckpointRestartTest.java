package io.sightline.collector;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.Event;
import io.sightline.collector.MockCluster.Replica;
import io.sightline.collector.config.CollectorProperties;
import io.sightline.collector.pipeline.EventCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Restarts: with the checkpoint a restarted collector emits only what it had not emitted; after a downtime
 * longer than the event TTL the gap is counted and logged once. There is no API server on these machines, so
 * fabric8's {@code KubernetesMockServer} in CRUD mode stands in for it (events, the checkpoint ConfigMap and
 * the Lease all live in it).
 */
class CheckpointRestartTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final MockCluster cluster = MockCluster.crud();

    @Test
    void restartFromTheCheckpointEmitsOnlyWhatIsNew() {
        Instant now = Instant.now();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(cluster.createCore(
                    MockCluster.coreEvent("shop", "web-" + i + ".x", "BackOff", "Warning", 1, now, now)));
        }
        MutableClock clock = new MutableClock();
        Replica first = cluster.start("first", cluster.newClient(), properties("first"), clock);
        await().untilAsserted(() -> assertThat(first.records()).hasSize(3));
        first.close(); // graceful: last checkpoint written, lease released
        assertThat(first.collector().lastSavedCheckpoint())
                .hasValueSatisfying(c -> assertThat(c.uids()).hasSize(3));

        // while nobody runs: one event occurs again, one new event appears
        Event again = events.get(1);
        again.setCount(2);
        cluster.client().resource(again).update();
        Event fresh = cluster.createCore(MockCluster.coreEvent("shop", "web-9.x", "Killing", "Normal", 1, now, now));

        Replica second = cluster.start("second", cluster.newClient(), properties("second"), clock);
        await().untilAsserted(() -> assertThat(second.records()).hasSize(2));
        assertThat(second.occurrences())
                .containsExactlyInAnyOrder(
                        again.getMetadata().getUid() + ":2", fresh.getMetadata().getUid() + ":1");
        List<String> all = new ArrayList<>(first.occurrences());
        all.addAll(second.occurrences());
        assertThat(EventLifecycleTest.duplicates(all)).isEmpty();
        assertThat(second.kubeEvents()).isEqualTo(2.0);
        assertThat(second.counter("sightline.event.collector.records.dropped", "reason", "gap"))
                .isZero();
    }

    @Test
    void restartAfterEventsExpiredReportsTheGapOnce() {
        Logger collectorLog = (Logger) LoggerFactory.getLogger(EventCollector.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        collectorLog.addAppender(logged);
        Instant now = Instant.now();
        Event old = cluster.createCore(MockCluster.coreEvent("shop", "web-1.x", "BackOff", "Warning", 1, now, now));
        MutableClock clock = new MutableClock();
        Replica first = cluster.start("first", cluster.newClient(), properties("first"), clock);
        await().untilAsserted(() -> assertThat(first.records()).hasSize(1));
        first.close();
        Instant checkpointed =
                first.collector().lastSavedCheckpoint().orElseThrow().savedAt();

        // two hours pass (TTL 1h): the old event expired, a new one exists
        clock.advance(Duration.ofHours(2));
        cluster.client().resource(old).delete();
        Instant later = clock.instant();
        Event fresh =
                cluster.createCore(MockCluster.coreEvent("shop", "web-2.x", "BackOff", "Warning", 1, later, later));

        Replica second = cluster.start("second", cluster.newClient(), properties("second"), clock);
        await().untilAsserted(() -> assertThat(second.records()).hasSize(1));
        assertThat(second.occurrences()).containsExactly(fresh.getMetadata().getUid() + ":1");
        assertThat(second.counter("sightline.event.collector.records.dropped", "reason", "gap"))
                .isEqualTo(1.0);
        String gapLine = "Event gap: occurrences between " + checkpointed;
        collectorLog.detachAppender(logged);
        assertThat(logged.list.stream()
                        .map(ILoggingEvent::getFormattedMessage)
                        .filter(m -> m.contains("Event gap:"))
                        .toList())
                .singleElement()
                .satisfies(m -> assertThat(m).contains(gapLine));
    }

    /** Each replica has its own output file, as each pod has its own volume. */
    private CollectorProperties properties(String replica) {
        return MockCluster.properties(dir.resolve(replica + ".log"), "v1", true, Duration.ofSeconds(5), 1000);
    }
}
