package io.sightline.collector;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventListBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.WatchEventBuilder;
import io.sightline.collector.MockCluster.Replica;
import io.sightline.collector.config.CollectorProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A watch that ends in {@code 410 Gone} and a watch connection that drops: the collector re-lists or resumes,
 * emits every occurrence that still exists and none twice. There is no API server on these machines, so
 * fabric8's {@code KubernetesMockServer} stands in for it: expectations script the first list and the failing
 * watch exactly, and the CRUD store behind them serves everything afterwards (re-list, new watch).
 */
class WatchRecoveryTest {

    /** The collector lists in pages of 500 (sightline.collector.list-page-size). */
    private static final String LIST = "/api/v1/events?limit=500";

    private static final String WATCH_FROM_5 =
            "/api/v1/events?allowWatchBookmarks=true&resourceVersion=5&timeoutSeconds=600&watch=true";

    @TempDir
    Path dir;

    private MockCluster cluster;
    private final Instant now = Instant.now();

    @BeforeEach
    void setUp() {
        cluster = MockCluster.mixed();
    }

    @AfterEach
    void tearDown() throws Exception {
        cluster.close();
    }

    @Test
    void goneWatchIsFollowedByAReListThatEmitsOnlyRealChanges() {
        // the server's current state: A occurred a second time, B is new
        Event a = cluster.createCore(MockCluster.coreEvent("shop", "web-1.a", "BackOff", "Warning", 2, now, now));
        Event b = cluster.createCore(MockCluster.coreEvent("shop", "web-2.b", "BackOff", "Warning", 1, now, now));
        // what the collector saw first: A once; then its watch is too old
        expectFirstList(atCount(a, 1));
        cluster.server()
                .expect()
                .get()
                .withPath(WATCH_FROM_5)
                .andUpgradeToWebSocket()
                .open()
                .immediately()
                .andEmit(gone())
                .done()
                .once();

        Replica replica = start();
        await().untilAsserted(() -> assertThat(replica.records()).hasSize(3));
        assertThat(replica.occurrences()).containsExactlyInAnyOrder(uid(a) + ":1", uid(a) + ":2", uid(b) + ":1");
        assertThat(replica.counter("sightline.event.collector.relists")).isEqualTo(1.0);
        assertThat(replica.kubeEvents()).isEqualTo(3.0);

        // the re-listed state is not emitted again on later notifications: one more real occurrence of B
        b.setCount(2);
        cluster.client().resource(b).update();
        await().untilAsserted(() -> assertThat(replica.records()).hasSize(4));
        assertThat(EventLifecycleTest.duplicates(replica.occurrences())).isEmpty();
        assertThat(replica.kubeEvents()).isEqualTo(4.0);
    }

    @Test
    void droppedWatchConnectionResumesWithoutDuplicatesOrLoss() {
        Event a = cluster.createCore(MockCluster.coreEvent("shop", "web-1.a", "BackOff", "Warning", 2, now, now));
        expectFirstList(atCount(a, 1));
        Event modified = atCount(a, 2);
        modified.getMetadata().setResourceVersion("6");
        // one notification, then the connection drops
        cluster.server()
                .expect()
                .get()
                .withPath(WATCH_FROM_5)
                .andUpgradeToWebSocket()
                .open()
                .immediately()
                .andEmit(new WatchEvent(modified, "MODIFIED"))
                .done()
                .once();

        Replica replica = start();
        // the notification may arrive before the collector leads: then count 1 and 2 are one record (one increase)
        await().untilAsserted(() -> assertThat(replica.occurrences()).contains(uid(a) + ":2"));

        // after reconnecting, the collector still sees what happens
        a.setCount(3);
        cluster.client().resource(a).update();
        Event b = cluster.createCore(MockCluster.coreEvent("shop", "web-2.b", "Failed", "Warning", 1, now, now));
        await().untilAsserted(() -> assertThat(replica.occurrences()).endsWith(uid(a) + ":3", uid(b) + ":1"));
        assertThat(EventLifecycleTest.duplicates(replica.occurrences())).isEmpty();
        assertThat(replica.kubeEvents()).isEqualTo(4.0);
    }

    @Test
    void failedListIsCountedAndRetried() {
        Event a = cluster.createCore(MockCluster.coreEvent("shop", "web-1.a", "BackOff", "Warning", 1, now, now));
        // 5xx are retried inside fabric8's HTTP client; a 403 (RBAC not applied yet) reaches the informer
        cluster.server()
                .expect()
                .get()
                .withPath(LIST)
                .andReturn(
                        403,
                        new StatusBuilder()
                                .withCode(403)
                                .withReason("Forbidden")
                                .withMessage("events is forbidden: cannot list resource \"events\"")
                                .build())
                .once();

        Replica replica = start();
        await().untilAsserted(() -> assertThat(replica.records()).hasSize(1));
        assertThat(replica.occurrences()).containsExactly(uid(a) + ":1");
        assertThat(replica.counter("sightline.event.collector.watch.errors")).isEqualTo(1.0);
    }

    /** Case 12: the first list comes in pages, so a large cluster is never held in memory at once. */
    @Test
    void theInitialListIsReadInPages() {
        Event a = MockCluster.coreEvent("shop", "web-1.a", "BackOff", "Warning", 1, now, now);
        Event b = MockCluster.coreEvent("shop", "web-2.b", "BackOff", "Warning", 1, now, now);
        Event c = MockCluster.coreEvent("web", "web-3.c", "Failed", "Warning", 1, now, now);
        for (Event e : List.of(a, b, c)) {
            e.getMetadata().setUid("uid-" + e.getMetadata().getName());
            e.getMetadata().setResourceVersion("4");
        }
        expectList("/api/v1/events?limit=2", "page-2", a, b);
        expectList("/api/v1/events?continue=page-2&limit=2", null, c);

        var paged = MockCluster.properties(dir.resolve("events.log"), "v1", false, Duration.ofSeconds(5), 1000);
        Replica replica = cluster.start(
                "only",
                cluster.client(),
                new CollectorProperties(
                        paged.enabled(),
                        paged.namespaces(),
                        paged.excludedNamespaces(),
                        paged.minimumType(),
                        paged.dropReasons(),
                        paged.api(),
                        paged.eventTtl(),
                        paged.selfNamespace(),
                        2,
                        paged.output(),
                        paged.checkpoint(),
                        paged.leaderElection(),
                        paged.metrics()),
                Clock.systemUTC());
        await().untilAsserted(() -> assertThat(replica.occurrences())
                .containsExactlyInAnyOrder("uid-web-1.a:1", "uid-web-2.b:1", "uid-web-3.c:1"));
    }

    private void expectFirstList(Event... items) {
        expectList(LIST, null, items);
    }

    /** One list response at resource version 5; {@code continueToken} when more pages follow. */
    private void expectList(String path, String continueToken, Event... items) {
        cluster.server()
                .expect()
                .get()
                .withPath(path)
                .andReturn(
                        200,
                        new EventListBuilder()
                                .withNewMetadata()
                                .withContinue(continueToken)
                                .withResourceVersion("5")
                                .endMetadata()
                                .withItems(items)
                                .build())
                .once();
    }

    private Replica start() {
        Replica replica = cluster.start(
                "only",
                cluster.client(),
                MockCluster.properties(dir.resolve("events.log"), "v1", false, Duration.ofSeconds(5), 1000),
                Clock.systemUTC());
        await().until(replica.collector()::isLeading);
        return replica;
    }

    private static Event atCount(Event event, int count) {
        Event copy = new EventBuilder(event).withCount(count).build();
        copy.getMetadata().setResourceVersion("4");
        return copy;
    }

    private static WatchEvent gone() {
        return new WatchEventBuilder()
                .withType("ERROR")
                .withObject(new StatusBuilder()
                        .withCode(410)
                        .withReason("Expired")
                        .withMessage("too old resource version: 5 (9)")
                        .build())
                .build();
    }

    private static String uid(Event event) {
        return event.getMetadata().getUid();
    }
}
