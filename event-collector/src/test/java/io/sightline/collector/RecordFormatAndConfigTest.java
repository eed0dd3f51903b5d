package io.sightline.collector;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.sightline.collector.config.CollectorProperties;
import io.sightline.collector.output.EventRecordFormatter;
import io.sightline.collector.watch.EventNormalizer;
import io.sightline.collector.watch.KubeEvent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure parts: record format and escaping, timestamp precedence, configuration validation. */
class RecordFormatAndConfigTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00.123456Z");

    @Test
    void recordIsOneEscapedJsonLineWithContractFields() {
        KubeEvent event = new KubeEvent(
                "u-1",
                "shop",
                "web-1.e",
                NOW,
                "Pod",
                "web-1",
                "Failed",
                "Warning",
                "line1\nline2 \"quoted\" \\ tab\t \u0001 ü",
                7,
                NOW,
                Instant.parse("2026-11-27T11:00:00Z"),
                "kubelet",
                null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new EventRecordFormatter().format(event, out);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).endsWith("}\n").doesNotContain("\n{").hasLineCount(1);
        JsonNode json = JsonMapper.builder().build().readTree(text);
        assertThat(json.get("@timestamp").asString()).isEqualTo("2026-11-27T12:00:00.123Z");
        assertThat(json.get("first_seen").asString()).isEqualTo("2026-11-27T11:00:00.000Z");
        assertThat(json.get("message").asString()).isEqualTo("line1\nline2 \"quoted\" \\ tab\t \u0001 ü");
        assertThat(json.get("level").asString()).isEqualTo("WARN");
        assertThat(json.has("reporting_instance")).isFalse();
        List<String> names = new java.util.ArrayList<>();
        json.propertyNames().forEach(names::add);
        assertThat(names)
                .containsExactly(
                        "@timestamp",
                        "level",
                        "service_name",
                        "namespace",
                        "kind",
                        "name",
                        "reason",
                        "type",
                        "message",
                        "count",
                        "first_seen",
                        "reporting_controller",
                        "event_uid");
    }

    @Test
    void occurrenceTimePrefersSeriesThenLastTimestampThenEventTimeThenCreation() {
        var base = new EventBuilder()
                .withNewMetadata()
                .withUid("u")
                .withNamespace("ns")
                .withName("e")
                .withCreationTimestamp("2026-11-27T09:00:00Z")
                .endMetadata()
                .withType("Normal");
        assertThat(EventNormalizer.fromCoreV1(base.build(), NOW).occurredAt())
                .isEqualTo(Instant.parse("2026-11-27T09:00:00Z"));
        base.withEventTime(new MicroTime("2026-11-27T09:30:00.500000Z"));
        assertThat(EventNormalizer.fromCoreV1(base.build(), NOW).occurredAt())
                .isEqualTo(Instant.parse("2026-11-27T09:30:00.500Z"));
        base.withLastTimestamp("2026-11-27T10:00:00Z").withCount(3);
        KubeEvent withLast = EventNormalizer.fromCoreV1(base.build(), NOW);
        assertThat(withLast.occurredAt()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
        assertThat(withLast.count()).isEqualTo(3);
        base.withNewSeries()
                .withCount(9)
                .withLastObservedTime(new MicroTime("2026-11-27T11:00:00.250000Z"))
                .endSeries();
        KubeEvent withSeries = EventNormalizer.fromCoreV1(base.build(), NOW);
        assertThat(withSeries.occurredAt()).isEqualTo(Instant.parse("2026-11-27T11:00:00.250Z"));
        assertThat(withSeries.count()).isEqualTo(9);
    }

    /** The record's namespace is the Loki stream's namespace: an event object without one goes to "default". */
    @Test
    void everyRecordHasTheEventsNamespaceDefaultForEventsWithoutOne() {
        var withoutNamespace = new EventBuilder()
                .withNewMetadata()
                .withUid("u")
                .withName("node-1.17a")
                .endMetadata()
                .withNewInvolvedObject()
                .withKind("Node")
                .withName("node-1")
                .endInvolvedObject()
                .withType("Warning")
                .withReason("OOMKilling")
                .build();
        KubeEvent event = EventNormalizer.fromCoreV1(withoutNamespace, NOW);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new EventRecordFormatter().format(event, out);
        assertThat(JsonMapper.builder()
                        .build()
                        .readTree(out.toString(StandardCharsets.UTF_8))
                        .get("namespace")
                        .asString())
                .isEqualTo("default");
    }

    @Test
    void eventWithoutUidIsRejectedWithAReason() {
        var noUid = new EventBuilder()
                .withNewMetadata()
                .withNamespace("ns")
                .withName("e")
                .endMetadata()
                .build();
        assertThatThrownBy(() -> EventNormalizer.fromCoreV1(noUid, NOW))
                .isInstanceOf(EventNormalizer.InvalidEventException.class)
                .hasMessageContaining("metadata.uid");
    }

    @Test
    void invalidConfigurationNamesThePropertyToFix() {
        CollectorProperties valid =
                MockCluster.properties(java.nio.file.Path.of("x.log"), "auto", true, Duration.ofSeconds(5), 10);
        assertThatThrownBy(() -> new CollectorProperties(
                        true,
                        List.of("a"),
                        List.of("a"),
                        "Normal",
                        "",
                        "auto",
                        Duration.ofHours(1),
                        "",
                        0,
                        valid.output(),
                        valid.checkpoint(),
                        valid.leaderElection(),
                        valid.metrics()))
                .hasMessageContaining("sightline.collector.namespaces and excluded-namespaces both list [a]");
        assertThatThrownBy(() -> new CollectorProperties(
                        true,
                        List.of(),
                        List.of(),
                        "Error",
                        "",
                        "auto",
                        Duration.ofHours(1),
                        "",
                        0,
                        valid.output(),
                        valid.checkpoint(),
                        valid.leaderElection(),
                        valid.metrics()))
                .hasMessageContaining("sightline.collector.minimum-type");
        assertThatThrownBy(() -> new CollectorProperties(
                        true,
                        List.of(),
                        List.of(),
                        "Warning",
                        "(",
                        "auto",
                        Duration.ofHours(1),
                        "",
                        0,
                        valid.output(),
                        valid.checkpoint(),
                        valid.leaderElection(),
                        valid.metrics()))
                .hasMessageContaining("sightline.collector.drop-reasons is not a valid regular expression");
        assertThatThrownBy(() -> new CollectorProperties.LeaderElection(
                        true, "l", Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(2)))
                .hasMessageContaining("lease-duration > renew-deadline > retry-period");
        assertThatThrownBy(() -> new CollectorProperties.Output(
                        java.nio.file.Path.of("x"), 0, org.springframework.util.unit.DataSize.ofMegabytes(1), 1))
                .hasMessageContaining("sightline.collector.output.queue-capacity");
    }
}
