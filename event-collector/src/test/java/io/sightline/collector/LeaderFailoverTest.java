package io.sightline.collector;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sightline.collector.MockCluster.Replica;
import io.sightline.collector.occurrence.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas against one API server: only the Lease holder emits; when it dies without a goodbye the other
 * takes over from the checkpoint, and repeats at most what the dead leader emitted after its last checkpoint.
 * There is no API server on these machines, so fabric8's {@code KubernetesMockServer} in CRUD mode stands in
 * for it (Lease, checkpoint ConfigMap and events).
 */
class LeaderFailoverTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final MockCluster cluster = MockCluster.crud();

    @Test
    void onlyTheLeaderEmitsAndTheFollowerTakesOverWithBoundedDuplicates() {
        KubernetesClient clientA = cluster.newClient();
        KubernetesClient clientB = cluster.newClient();
        Replica a = cluster.start("a", clientA, properties("a"), Clock.systemUTC());
        Replica b = cluster.start("b", clientB, properties("b"), Clock.systemUTC());
        await().until(() -> a.collector().isLeading() || b.collector().isLeading());
        Replica leader = a.collector().isLeading() ? a : b;
        Replica follower = leader == a ? b : a;
        assertThat(follower.collector().isLeading()).isFalse();
        assertThat(leader.gauge("sightline.event.collector.leader")).isEqualTo(1.0);
        assertThat(follower.gauge("sightline.event.collector.leader")).isZero();

        Instant now = Instant.now();
        for (int i = 0; i < 5; i++) {
            cluster.createCore(MockCluster.coreEvent("shop", "before-" + i + ".x", "BackOff", "Warning", 1, now, now));
        }
        await().untilAsserted(() -> assertThat(leader.records()).hasSize(5));
        await().untilAsserted(() -> assertThat(leader.collector().lastSavedCheckpoint())
                .hasValueSatisfying(c -> assertThat(c.uids()).hasSize(5)));
        for (int i = 0; i < 3; i++) {
            cluster.createCore(MockCluster.coreEvent("shop", "late-" + i + ".x", "BackOff", "Warning", 1, now, now));
        }
        await().untilAsserted(() -> assertThat(leader.records()).hasSize(8));
        assertThat(follower.records()).isEmpty();

        // the leader dies: its connection is gone, nothing is released, no last checkpoint
        (leader == a ? clientA : clientB).close();
        leader.close();
        Checkpoint lastCheckpoint = leader.collector().lastSavedCheckpoint().orElseThrow();
        List<String> leaderRecords = leader.occurrences();
        assertThat(leaderRecords).hasSize(8);

        await().atMost(Duration.ofSeconds(20)).until(follower.collector()::isLeading);
        cluster.createCore(MockCluster.coreEvent("shop", "after.x", "BackOff", "Warning", 1, now, now));
        await().until(() -> follower.records().stream()
                .anyMatch(r -> r.get("name").asString().equals("after")));

        // nothing lost: every event that exists was emitted by one of them
        Set<String> union = new HashSet<>(leaderRecords);
        union.addAll(follower.occurrences());
        assertThat(union).hasSize(9);
        // duplicates only among what the leader emitted after its last checkpoint (the checkpoint interval)
        List<String> duplicates = new ArrayList<>(follower.occurrences());
        duplicates.retainAll(leaderRecords);
        Set<String> emittedAfterCheckpoint = new HashSet<>();
        for (String occurrence : leaderRecords) {
            String uid = occurrence.substring(0, occurrence.indexOf(':'));
            if (!lastCheckpoint.uids().contains(uid)) {
                emittedAfterCheckpoint.add(occurrence);
            }
        }
        assertThat(emittedAfterCheckpoint).containsAll(duplicates);
        assertThat(duplicates).hasSizeLessThanOrEqualTo(3);
        assertThat(EventLifecycleTest.duplicates(follower.occurrences())).isEmpty();
    }

    @Test
    void aLeaderThatLosesItsLeaseStopsEmittingAndCompetesAgain() {
        Replica only = cluster.start("only", cluster.newClient(), properties("only"), Clock.systemUTC());
        await().until(only.collector()::isLeading);

        // someone else takes the Lease (as after a long API hiccup); it never renews
        cluster.takeLease("ghost");
        await().until(() -> !only.collector().isLeading());
        assertThat(only.gauge("sightline.event.collector.leader")).isZero();

        // the ghost's lease expires: the collector leads again and emits
        await().until(only.collector()::isLeading);
        Instant now = Instant.now();
        cluster.createCore(MockCluster.coreEvent("shop", "back.x", "BackOff", "Warning", 1, now, now));
        await().until(() ->
                only.records().stream().anyMatch(r -> r.get("name").asString().equals("back")));
    }

    /** Case 7: a follower exports the series the alerts read at 0, so increase() sees its first occurrence. */
    @Test
    void everyReplicaExportsTheSeriesTheAlertsReadAtZero() {
        Instant now = Instant.now();
        cluster.createCore(MockCluster.coreEvent("shop", "started.x", "Started", "Normal", 1, now, now));
        Replica a = cluster.start("a", cluster.newClient(), properties("a"), Clock.systemUTC());
        Replica b = cluster.start("b", cluster.newClient(), properties("b"), Clock.systemUTC());
        await().until(() -> a.collector().isLeading() || b.collector().isLeading());
        Replica follower = a.collector().isLeading() ? b : a;
        await().until(follower.collector()::isSynced);
        for (String reason : List.of("FailedScheduling", "Failed", "ErrImagePull", "Unhealthy")) {
            assertThat(follower.registry()
                            .find("sightline.kube.events")
                            .tags("namespace", "shop", "kind", "Pod", "reason", reason, "type", "Warning")
                            .counter())
                    .as(reason)
                    .isNotNull()
                    .satisfies(c -> assertThat(c.count()).isZero());
        }
    }

    private io.sightline.collector.config.CollectorProperties properties(String replica) {
        return MockCluster.properties(dir.resolve(replica + ".log"), "v1", true, Duration.ofMillis(500), 1000);
    }
}
