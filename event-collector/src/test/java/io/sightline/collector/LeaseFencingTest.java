package io.sightline.collector;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.sightline.collector.MockCluster.Replica;
import io.sightline.collector.config.CollectorProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One leader at a time (case 3) and a graceful stop that repeats nothing (case 11), against API throttling. There is
 * no API server on these machines, so fabric8's {@code KubernetesMockServer} stands in for it; throttling is what
 * API Priority and Fairness answers, {@code 429 Too Many Requests} with {@code Retry-After}, scripted as expectations
 * in front of the CRUD store, and a slow response is an expectation with a delay.
 */
class LeaseFencingTest {

    private static final String LEASE =
            "/apis/coordination.k8s.io/v1/namespaces/sightline/leases/sightline-event-collector";
    private static final String CHECKPOINT =
            "/api/v1/namespaces/sightline/configmaps/sightline-event-collector-checkpoint";
    /** The renew deadline of these tests (3 s) and room for a loaded machine. */
    private static final Duration PROMPTLY = Duration.ofSeconds(6);

    @TempDir
    Path dir;

    @RegisterExtension
    final MockCluster cluster = MockCluster.mixed();

    private final Instant now = Instant.now();

    @Test
    void losingTheLeaseStopsEmissionWhileACheckpointWriteIsThrottled() {
        Replica a = cluster.start("a", cluster.newClient(), properties("a"), Clock.systemUTC());
        await().until(() -> a.collector().lastSavedCheckpoint().isPresent());
        throttle(CHECKPOINT, 30);
        cluster.createCore(MockCluster.coreEvent("shop", "w.x", "BackOff", "Warning", 1, now, now)); // a write is due

        cluster.takeLease("b");
        await().atMost(PROMPTLY).until(() -> !a.collector().isLeading());
        assertThat(a.gauge("sightline.event.collector.leader")).isZero();
    }

    @Test
    void aRenewalStuckInThrottlingEndsEmissionAtTheRenewDeadline() {
        Replica a = cluster.start("a", cluster.newClient(), properties("a"), Clock.systemUTC());
        await().until(a.collector()::isLeading);
        // every Lease read waits 5 s before it is refused: the renewal cannot succeed within the deadline
        cluster.server()
                .expect()
                .get()
                .delay(5, TimeUnit.SECONDS)
                .withPath(LEASE)
                .andReturn(429, new StatusBuilder().withCode(429).build())
                .withHeader("Retry-After", "5")
                .times(20);
        await().atMost(PROMPTLY).until(() -> !a.collector().isLeading());
    }

    @Test
    void aDeposedLeadersLateCheckpointWriteDoesNotOverwriteTheNewLeaders() {
        Replica a = cluster.start("a", cluster.newClient(), properties("a"), Clock.systemUTC());
        await().until(() -> a.collector().lastSavedCheckpoint().isPresent());
        throttle(CHECKPOINT, 3);
        cluster.createCore(MockCluster.coreEvent("shop", "w.x", "BackOff", "Warning", 1, now, now)); // a write is due

        // meanwhile "b" takes the Lease and claims the checkpoint (a patch: not held up by the throttled updates)
        cluster.holdLease("b");
        cluster.client()
                .configMaps()
                .inNamespace(MockCluster.SELF_NAMESPACE)
                .withName("sightline-event-collector-checkpoint")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"sightline.io/checkpoint-writer\":\"b\"}},"
                                + "\"binaryData\":{\"checkpoint.gz\":\"Yg==\"}}");
        // a's throttled write is retried (fabric8 honours Retry-After) and must not replace b's checkpoint
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(30)).until(() -> cluster.client()
                .configMaps()
                .inNamespace(MockCluster.SELF_NAMESPACE)
                .withName("sightline-event-collector-checkpoint")
                .get()
                .getBinaryData()
                .get("checkpoint.gz")
                .equals("Yg=="));
        assertThat(a.collector().isLeading()).isFalse();
    }

    @Test
    void aGracefulStopRepeatsNothingEvenWhenReleasingTheLeaseIsSlow() throws Exception {
        Replica a = cluster.start("a", cluster.newClient(), properties("a"), Clock.systemUTC());
        await().until(() -> a.collector().lastSavedCheckpoint().isPresent());
        // the release (a Lease change without holder) is applied at once but answered 2 s late
        cluster.slowDown(
                r -> r.getPath().startsWith(LEASE)
                        && !r.getMethod().equals("GET")
                        && !r.getUtf8Body().contains("holderIdentity"),
                Duration.ofSeconds(2));
        AtomicBoolean creating = new AtomicBoolean(true);
        List<Event> created = new ArrayList<>();
        Thread producer = new Thread(() -> {
            for (int i = 0; creating.get(); i++) {
                created.add(cluster.createCore(
                        MockCluster.coreEvent("shop", "e-" + i + ".x", "BackOff", "Warning", 1, now, now)));
            }
        });
        producer.start();
        await().until(() -> a.records().size() >= 5);
        creating.set(false);
        producer.join();
        // Stop only once the watch has delivered every event (records may still be queued or unflushed: that is what
        // the stop must handle). fabric8's mock server, unlike an API server, blocks its only event loop for up to
        // 30 s when a watch closes while it is sending that watch an event (WatchEventsListener.onClosed waits for its
        // sender, which waits for the event loop); closing mid-send made this test time out one run in three.
        await().until(() -> a.kubeEvents("reason", "BackOff") >= created.size());
        a.close();

        Replica b = cluster.start("b", cluster.newClient(), properties("b"), Clock.systemUTC());
        // what the server holds (a create that timed out on this busy machine may still have been stored)
        Set<String> all = new HashSet<>();
        cluster.client()
                .v1()
                .events()
                .inNamespace("shop")
                .list()
                .getItems()
                .forEach(e -> all.add(e.getMetadata().getUid() + ":1"));
        assertThat(all).hasSizeGreaterThanOrEqualTo(created.size());
        await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
            Set<String> union = new HashSet<>(a.occurrences());
            union.addAll(b.occurrences());
            assertThat(union).isEqualTo(all);
        });
        List<String> both = new ArrayList<>(a.occurrences());
        both.retainAll(b.occurrences());
        assertThat(both).as("occurrences written by both").isEmpty();
    }

    /** The next {@code times} updates of {@code path} are refused with 429, Retry-After 1 s. */
    private void throttle(String path, int times) {
        cluster.server()
                .expect()
                .put()
                .withPath(path)
                .andReturn(
                        429,
                        new StatusBuilder()
                                .withCode(429)
                                .withReason("TooManyRequests")
                                .build())
                .withHeader("Retry-After", "1")
                .times(times);
    }

    private CollectorProperties properties(String replica) {
        return MockCluster.properties(dir.resolve(replica + ".log"), "v1", true, Duration.ofMillis(300), 1000);
    }
}
