package io.sightline.sidecar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.sightline.sidecar.config.MapSettings;
import io.sightline.sidecar.parse.Identities;
import io.sightline.sidecar.ship.Sink;
import io.sightline.sidecar.ship.SinkFactory;
import io.sightline.sidecar.source.FileOpener;
import io.sightline.testsupport.loki.Entry;
import io.sightline.testsupport.loki.FakeLoki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * {@code SIGHTLINE_NAMESPACE_FROM_FIELD}: the event-collector's sidecar ships each Kubernetes event
 * under the event's namespace (the record's top-level {@code namespace} field), one Loki stream per
 * namespace, instead of the namespace the sidecar runs in; records without the field (or with a
 * value that is not a string) keep it. Through the whole pipeline into {@link FakeLoki} (a
 * protocol-exact fake: no Loki binary runs here); OpenSearch's documents: {@code BulkRequestWriterTest}.
 */
class NamespaceFromFieldTest {

    private static final String IN_SHOP =
            "{\"@timestamp\":\"2026-11-27T11:20:00.123Z\",\"namespace\":\"shop\",\"reason\":\"BackOff\"}";
    private static final String IN_DEFAULT =
            "{\"@timestamp\":\"2026-11-27T11:20:01.123Z\",\"namespace\":\"default\",\"reason\":\"NodeNotReady\"}";
    private static final String WITHOUT_FIELD = "{\"@timestamp\":\"2026-11-27T11:20:02.123Z\",\"reason\":\"Other\"}";
    private static final String NOT_A_STRING =
            "{\"@timestamp\":\"2026-11-27T11:20:03.123Z\",\"namespace\":{\"name\":\"x\"},\"reason\":\"Odd\"}";
    private static final String PLAIN = "plain text, namespace: shop";

    @TempDir
    Path dir;

    @Test
    void eachRecordsNamespaceFieldIsItsLokiNamespaceLabel() throws Exception {
        try (FakeLoki loki = FakeLoki.start()) {
            Map<String, String> settings = settings();
            settings.put("SIGHTLINE_SINK", "loki");
            settings.put("LOKI_URL", loki.url().toString());
            Sidecar sidecar = run(settings);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> loki.entryCount() == 5);
            } finally {
                sidecar.shutdown(Duration.ofSeconds(5));
            }
            assertThat(loki.entries())
                    .extracting(Entry::line, entry -> entry.labels().get("namespace"))
                    .containsExactlyInAnyOrder(
                            tuple(IN_SHOP, "shop"),
                            tuple(IN_DEFAULT, "default"),
                            tuple(WITHOUT_FIELD, "sightline"),
                            tuple(NOT_A_STRING, "sightline"),
                            tuple(PLAIN, "sightline"));
            assertThat(loki.entries())
                    .allSatisfy(entry -> assertThat(entry.labels()).containsEntry("container", "event-collector"));
        }
    }

    private Map<String, String> settings() throws IOException {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(
                logs.resolve("events.log"),
                String.join("\n", IN_SHOP, IN_DEFAULT, WITHOUT_FIELD, NOT_A_STRING, PLAIN) + "\n");
        Map<String, String> settings = TestSupport.settings(logs, dir.resolve("checkpoints"));
        settings.put("SIGHTLINE_METRICS_ENABLED", "false");
        settings.put("SIGHTLINE_NAMESPACE_FROM_FIELD", "namespace");
        settings.put("POD_NAMESPACE", "sightline");
        settings.put("POD_NAME", "sightline-event-collector-0");
        settings.put("CONTAINER_NAME", "event-collector");
        return settings;
    }

    private static Sidecar run(Map<String, String> settings) throws IOException {
        TestSupport.CapturedDiagnostics diagnostics = new TestSupport.CapturedDiagnostics();
        MapSettings values = new MapSettings(settings);
        Sink sink = SinkFactory.create(
                settings.get("SIGHTLINE_SINK"), values, Identities.from(values), diagnostics.diagnostics);
        Sidecar sidecar =
                new Sidecar(TestSupport.config(settings), sink, diagnostics.diagnostics, FileOpener.DEFAULT, () -> {
                    throw new AssertionError("pipeline thread died: " + diagnostics.text());
                });
        sidecar.start();
        return sidecar;
    }
}
