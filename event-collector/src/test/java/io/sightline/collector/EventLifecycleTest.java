package io.sightline.collector;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.sightline.collector.MockCluster.Replica;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Create, count increment, series update and delete, end to end through a fabric8 informer to the output file
 * and the metrics. There is no API server on these machines, so fabric8's {@code KubernetesMockServer} in CRUD
 * mode stands in for it (it stores, versions, lists and watches objects like the API server).
 */
class EventLifecycleTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final MockCluster cluster = MockCluster.crud();

    @Test
    void coreEventsCreateIncrementNoOpAndDeleteGiveExactRecordsAndMetricIncreases() {
        Replica replica = start("v1");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        Event created = cluster.createCore(MockCluster.coreEvent("shop", "web-1.aaa", "BackOff", "Warning", 1, t0, t0));
        await().untilAsserted(() -> assertThat(replica.records()).hasSize(1));
        JsonNode first = replica.records().get(0);
        assertThat(first.get("@timestamp").asString()).isEqualTo(rfc(t0));
        assertThat(first.get("level").asString()).isEqualTo("WARN");
        assertThat(first.get("service_name").asString()).isEqualTo("kubernetes-events");
        assertThat(first.get("namespace").asString()).isEqualTo("shop");
        assertThat(first.get("kind").asString()).isEqualTo("Pod");
        assertThat(first.get("name").asString()).isEqualTo("web-1");
        assertThat(first.get("reason").asString()).isEqualTo("BackOff");
        assertThat(first.get("type").asString()).isEqualTo("Warning");
        assertThat(first.get("message").asString()).isEqualTo("Back-off restarting failed container \"app\"");
        assertThat(first.get("count").asLong()).isEqualTo(1);
        assertThat(first.get("first_seen").asString()).isEqualTo(rfc(t0));
        assertThat(first.get("reporting_controller").asString()).isEqualTo("kubelet");
        assertThat(first.get("reporting_instance").asString()).isEqualTo("node-1");
        assertThat(first.get("event_uid").asString())
                .isEqualTo(created.getMetadata().getUid());
        assertThat(replica.kubeEvents("namespace", "shop", "kind", "Pod", "reason", "BackOff", "type", "Warning"))
                .isEqualTo(1.0);

        Instant t1 = t0.plusSeconds(30);
        created.setCount(3);
        created.setLastTimestamp(t1.toString());
        created = cluster.client().resource(created).update();
        await().untilAsserted(() -> assertThat(replica.records()).hasSize(2));
        assertThat(replica.records().get(1).get("count").asLong()).isEqualTo(3);
        assertThat(replica.records().get(1).get("@timestamp").asString()).isEqualTo(rfc(t1));
        assertThat(replica.kubeEvents("reason", "BackOff")).isEqualTo(3.0);

        // an update that does not raise the count is not an occurrence; a delete is not either
        created.setMessage("edited by someone");
        cluster.client().resource(created).update();
        cluster.client().resource(created).delete();
        // a later event proves the no-op update and the delete were processed before it (informers keep order)
        cluster.createCore(MockCluster.coreEvent("shop", "web-2.bbb", "Started", "Normal", 1, t1, t1));
        await().untilAsserted(() -> assertThat(replica.records()).hasSize(3));
        assertThat(replica.records().get(2).get("level").asString()).isEqualTo("INFO");
        assertThat(replica.kubeEvents("reason", "BackOff")).isEqualTo(3.0);
        assertThat(replica.kubeEvents("reason", "Started", "type", "Normal")).isEqualTo(1.0);
        assertThat(replica.counter("sightline.event.collector.records.written")).isEqualTo(3.0);
        assertThat(replica.counter("sightline.event.collector.records.dropped")).isZero();
    }

    @Test
    void eventsV1SeriesUpdateIsAnOccurrenceTimedAtLastObservedTime() {
        Replica replica = start("events.k8s.io/v1");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        var event = cluster.client()
                .resource(new EventBuilder()
                        .withNewMetadata()
                        .withNamespace("shop")
                        .withName("db-0.ccc")
                        .endMetadata()
                        .withNewRegarding()
                        .withKind("StatefulSet")
                        .withName("db")
                        .withNamespace("shop")
                        .endRegarding()
                        .withReason("FailedCreate")
                        .withType("Warning")
                        .withNote("quota exceeded")
                        .withEventTime(new MicroTime(t0.toString()))
                        .withAction("Create")
                        .withReportingController("statefulset-controller")
                        .withReportingInstance("kcm-1")
                        .build())
                .create();
        await().untilAsserted(() -> assertThat(replica.records()).hasSize(1));
        assertThat(replica.records().get(0).get("@timestamp").asString()).isEqualTo(rfc(t0));
        assertThat(replica.records().get(0).get("message").asString()).isEqualTo("quota exceeded");
        assertThat(replica.records().get(0).get("kind").asString()).isEqualTo("StatefulSet");

        Instant observed = t0.plusSeconds(90).plusMillis(250);
        event.setSeries(
                new io.fabric8.kubernetes.api.model.events.v1.EventSeries(4, new MicroTime(observed.toString())));
        cluster.client().resource(event).update();
        await().untilAsserted(() -> assertThat(replica.records()).hasSize(2));
        JsonNode update = replica.records().get(1);
        assertThat(update.get("count").asLong()).isEqualTo(4);
        assertThat(update.get("@timestamp").asString()).isEqualTo(rfc(observed));
        assertThat(update.get("first_seen").asString()).isEqualTo(rfc(t0));
        assertThat(update.get("reporting_controller").asString()).isEqualTo("statefulset-controller");
        assertThat(replica.kubeEvents("namespace", "shop", "kind", "StatefulSet", "reason", "FailedCreate"))
                .isEqualTo(4.0);
        // when the collector saw it, by its own clock (the event's times may come from a skewed or forged clock)
        assertThat(replica.gauge("sightline.event.collector.last.event.timestamp.seconds"))
                .isBetween(t0.getEpochSecond() - 1.0, Instant.now().getEpochSecond() + 1.0);
    }

    @Test
    void apiDiscoveryFallsBackToCoreV1WhenEventsV1IsMissing() {
        cluster.server().setUnsupported("events.k8s.io");
        Replica replica = start("auto");
        Instant t0 = Instant.now();
        cluster.createCore(MockCluster.coreEvent("shop", "web-1.ddd", "Pulled", "Normal", 1, t0, t0));
        await().untilAsserted(() -> assertThat(replica.records()).hasSize(1));
    }

    @Test
    void apiDiscoveryPrefersEventsV1() {
        Replica replica = start("auto");
        Instant t0 = Instant.now();
        // only an events.k8s.io/v1 informer sees this one (the mock keeps the two APIs apart)
        cluster.client()
                .resource(new EventBuilder()
                        .withNewMetadata()
                        .withNamespace("shop")
                        .withName("x.1")
                        .endMetadata()
                        .withNewRegarding()
                        .withKind("Pod")
                        .withName("x")
                        .endRegarding()
                        .withReason("Pulled")
                        .withType("Normal")
                        .withEventTime(new MicroTime(t0.toString()))
                        .build())
                .create();
        await().untilAsserted(() -> assertThat(replica.records()).hasSize(1));
    }

    @Test
    void namespacesTypeAndReasonFiltersLeaveOutEventsEntirely() {
        var base = MockCluster.properties(dir.resolve("events.log"), "v1", false, Duration.ofSeconds(5), 1000);
        var filtered = new io.sightline.collector.config.CollectorProperties(
                true,
                List.of("shop", "web"),
                List.of(),
                "Warning",
                "Pulled|Started",
                "v1",
                base.eventTtl(),
                base.selfNamespace(),
                base.listPageSize(),
                base.output(),
                base.checkpoint(),
                base.leaderElection(),
                base.metrics());
        Replica replica = cluster.start("only", cluster.client(), filtered, Clock.systemUTC());
        await().until(replica.collector()::isLeading);
        Instant t = Instant.now();
        // each namespace has its own informer; within one, notifications arrive in order
        cluster.createCore(MockCluster.coreEvent("other", "a.1", "BackOff", "Warning", 1, t, t));
        cluster.createCore(MockCluster.coreEvent("shop", "b.1", "Scheduled", "Normal", 1, t, t));
        Event shopWarning = cluster.createCore(MockCluster.coreEvent("shop", "b.2", "BackOff", "Warning", 1, t, t));
        cluster.createCore(MockCluster.coreEvent("web", "c.1", "Pulled", "Warning", 1, t, t));
        Event webWarning = cluster.createCore(MockCluster.coreEvent("web", "c.2", "Failed", "Warning", 1, t, t));

        await().untilAsserted(() -> assertThat(replica.occurrences())
                .containsExactlyInAnyOrder(
                        shopWarning.getMetadata().getUid() + ":1",
                        webWarning.getMetadata().getUid() + ":1"));
        assertThat(replica.kubeEvents()).isEqualTo(2.0);
        assertThat(replica.kubeEvents("namespace", "other")).isZero();
    }

    private Replica start(String api) {
        Replica replica = cluster.start(
                "only",
                cluster.client(),
                MockCluster.properties(dir.resolve("events.log"), api, false, Duration.ofSeconds(5), 1000),
                Clock.systemUTC());
        await().until(replica.collector()::isLeading);
        return replica;
    }

    private static String rfc(Instant instant) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(java.time.ZoneOffset.UTC)
                .format(instant);
    }

    static List<String> duplicates(List<String> occurrences) {
        return occurrences.stream()
                .filter(o -> occurrences.indexOf(o) != occurrences.lastIndexOf(o))
                .distinct()
                .toList();
    }
}
