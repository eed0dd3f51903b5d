package io.sightline.collector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.sightline.collector.MockCluster.Replica;
import io.sightline.collector.config.CollectorProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "Duplicates rather than loss" in the situations where a naive collector loses events: records that never reached
 * the file, a checkpoint that cannot be read, a quiet cluster, recreated events and forged event times. There is no
 * API server on these machines, so fabric8's {@code KubernetesMockServer} stands in for it: expectations script the
 * failures (a 403 on the checkpoint read) in front of its CRUD store.
 */
class AtLeastOnceTest {

    private static final String CHECKPOINT =
            "/api/v1/namespaces/sightline/configmaps/sightline-event-collector-checkpoint";

    @TempDir
    Path dir;

    @RegisterExtension
    final MockCluster cluster = MockCluster.mixed();

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    /** Case 1: an occurrence enters the checkpoint only once its record was written. */
    @Test
    void recordsThatNeverReachedTheFileAreEmittedByTheNextLeader() throws IOException {
        Path unwritable = dir.resolve("a.log");
        Files.createDirectories(unwritable); // a directory where the file should be: every write fails
        Event lost = cluster.createCore(MockCluster.coreEvent("shop", "web-1.x", "BackOff", "Warning", 1, now, now));
        Replica a = cluster.start("a", cluster.newClient(), properties(unwritable), Clock.systemUTC());
        await().until(() -> a.counter("sightline.event.collector.records.dropped", "reason", "write_error") >= 1);
        await().until(() -> a.collector().lastSavedCheckpoint().isPresent());
        a.close();

        Replica b = cluster.start("b", cluster.newClient(), properties(dir.resolve("b.log")), Clock.systemUTC());
        await().untilAsserted(() -> assertThat(b.occurrences()).containsExactly(uid(lost) + ":1"));
    }

    /** Case 1: while leading, a record lost to a write error is written again once the file works. */
    @Test
    void aLostRecordIsWrittenAgainWhenTheFileWorksAgain() throws IOException {
        Path output = dir.resolve("events.log");
        Files.createDirectories(output);
        Event lost = cluster.createCore(MockCluster.coreEvent("shop", "web-1.x", "BackOff", "Warning", 1, now, now));
        Replica a = cluster.start("a", cluster.newClient(), properties(output), Clock.systemUTC());
        await().until(() -> a.counter("sightline.event.collector.records.dropped", "reason", "write_error") >= 1);
        Files.delete(output);
        await().untilAsserted(() -> assertThat(a.occurrences()).containsExactly(uid(lost) + ":1"));
        assertThat(a.kubeEvents()).as("counted once").isEqualTo(1.0);
        await().untilAsserted(() -> assertThat(a.collector().lastSavedCheckpoint())
                .hasValueSatisfying(c -> assertThat(c.written(uid(lost))).isEqualTo(1)));
    }

    /** Case 4: a checkpoint that cannot be read is retried; the leader does not replay everything meanwhile. */
    @Test
    void aCheckpointThatCannotBeReadIsRetriedNotTakenForAFirstStart() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(cluster.createCore(
                    MockCluster.coreEvent("shop", "w-" + i + ".x", "BackOff", "Warning", 1, now, now)));
        }
        Replica a = cluster.start("a", cluster.newClient(), properties(dir.resolve("a.log")), Clock.systemUTC());
        await().untilAsserted(() -> assertThat(a.records()).hasSize(3));
        a.close();
        cluster.server()
                .expect()
                .get()
                .withPath(CHECKPOINT)
                .andReturn(
                        403,
                        new StatusBuilder()
                                .withCode(403)
                                .withReason("Forbidden")
                                .build())
                .times(3);
        Event fresh = cluster.createCore(MockCluster.coreEvent("shop", "new.x", "Killing", "Normal", 1, now, now));

        Replica b = cluster.start("b", cluster.newClient(), properties(dir.resolve("b.log")), Clock.systemUTC());
        await().untilAsserted(() -> assertThat(b.occurrences()).contains(uid(fresh) + ":1"));
        assertThat(b.occurrences()).containsExactly(uid(fresh) + ":1");
        assertThat(b.counter("sightline.event.collector.checkpoint.failures", "operation", "read"))
                .isEqualTo(3.0);
    }

    /** Case 9: a leader on a quiet cluster keeps its checkpoint fresh, so its crash is no gap. */
    @Test
    void aQuietLeaderThatCrashesLeavesNoGap() {
        MutableClock clock = new MutableClock();
        cluster.createCore(MockCluster.coreEvent("shop", "once.x", "BackOff", "Warning", 1, now, now));
        var clientA = cluster.newClient();
        Replica a = cluster.start("a", clientA, properties(dir.resolve("a.log")), clock);
        await().until(() -> a.collector().lastSavedCheckpoint().isPresent());
        for (int i = 0; i < 8; i++) { // 80 minutes without any event (TTL 1h)
            clock.advance(Duration.ofMinutes(10));
            Instant due = clock.instant().minus(Duration.ofMinutes(7));
            await().until(() ->
                    a.collector().lastSavedCheckpoint().orElseThrow().savedAt().isAfter(due));
        }
        clientA.close(); // a crash: no last checkpoint, no release
        a.close();

        Replica b = cluster.start("b", cluster.newClient(), properties(dir.resolve("b.log")), clock);
        await().atMost(Duration.ofSeconds(20)).until(b.collector()::isLeading);
        await().until(() -> b.collector().lastSavedCheckpoint().isPresent());
        assertThat(b.counter("sightline.event.collector.records.dropped", "reason", "gap"))
                .isZero();
    }

    /** Case 6: the legacy recorder recreates an expired event under its name; only the new occurrence counts. */
    @Test
    void aRecreatedEventAddsOnlyItsIncrease() {
        Replica a = cluster.start("a", cluster.newClient(), properties(dir.resolve("a.log")), Clock.systemUTC());
        await().until(a.collector()::isLeading);
        Event first = cluster.createCore(MockCluster.coreEvent("shop", "web-1.17a", "BackOff", "Warning", 3, now, now));
        await().untilAsserted(() -> assertThat(a.records()).hasSize(1));
        cluster.client().resource(first).delete();
        Event again = MockCluster.coreEvent("shop", "web-1.17a", "BackOff", "Warning", 4, now, now.plusSeconds(30));
        Event recreated = cluster.createCore(again);

        await().untilAsserted(
                        () -> assertThat(a.occurrences()).containsExactly(uid(first) + ":3", uid(recreated) + ":4"));
        assertThat(a.kubeEvents("reason", "BackOff")).isEqualTo(4.0);
    }

    /** Case 10: a forged future time neither moves the "last event" gauge nor silences the alert on it. */
    @Test
    void theLastEventGaugeIsTheCollectorsObservationTime() {
        Replica a = cluster.start("a", cluster.newClient(), properties(dir.resolve("a.log")), Clock.systemUTC());
        await().until(a.collector()::isLeading);
        Instant future = Instant.parse("2099-01-01T00:00:00Z");
        cluster.createCore(MockCluster.coreEvent("shop", "forged.x", "BackOff", "Warning", 1, future, future));
        await().untilAsserted(() -> assertThat(a.records()).hasSize(1));
        assertThat(a.records().get(0).get("@timestamp").asString())
                .as("the record keeps the event's time")
                .startsWith("2099-01-01");
        assertThat(a.gauge("sightline.event.collector.last.event.timestamp.seconds"))
                .isLessThanOrEqualTo(Instant.now().getEpochSecond() + 1.0);
    }

    /** Case 10: an event whose own time is long past is not taken for one the checkpoint pruned. */
    @Test
    void anEventWithAnOldForgedTimeIsNotHiddenFromTheNextLeader() {
        Replica a = cluster.start("a", cluster.newClient(), properties(dir.resolve("a.log")), Clock.systemUTC());
        await().until(a.collector()::isLeading);
        cluster.createCore(MockCluster.coreEvent("shop", "first.x", "Started", "Normal", 1, now, now));
        await().untilAsserted(() -> assertThat(a.records()).hasSize(1));
        a.close();
        Instant longAgo = now.minus(Duration.ofDays(2));
        Event old =
                cluster.createCore(MockCluster.coreEvent("shop", "old.x", "BackOff", "Warning", 1, longAgo, longAgo));

        Replica b = cluster.start("b", cluster.newClient(), properties(dir.resolve("b.log")), Clock.systemUTC());
        await().untilAsserted(() -> assertThat(b.occurrences()).containsExactly(uid(old) + ":1"));
    }

    private static CollectorProperties properties(Path output) {
        return MockCluster.properties(output, "v1", true, Duration.ofMillis(300), 1000);
    }

    private static String uid(Event event) {
        return event.getMetadata().getUid();
    }
}
