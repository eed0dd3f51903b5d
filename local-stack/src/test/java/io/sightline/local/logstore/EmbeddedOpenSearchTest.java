package io.sightline.local.logstore;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.sightline.local.check.CheckReport;
import io.sightline.local.check.LogDeliveryCheck;
import io.sightline.local.http.JsonHttp;
import io.sightline.local.process.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queries the local stack's check runs, against a real embedded OpenSearch node started the way the
 * launcher starts it: they count exactly the shipped records per pod and find records lacking a field.
 */
class EmbeddedOpenSearchTest {

    @TempDir
    static Path dir;

    private static EmbeddedOpenSearch store;
    private static JsonHttp http;

    @BeforeAll
    static void start() throws Exception {
        http = new JsonHttp(HttpClient.newHttpClient());
        store = EmbeddedOpenSearch.start(dir.resolve("opensearch"), new Ports().any(), http);
        StringBuilder bulk = new StringBuilder();
        // as the sidecar writes them: the record's fields plus namespace/pod/container/node (contract section 3)
        for (int i = 0; i < 3; i++) {
            bulk.append("{\"index\":{\"_index\":\"logs-2026.11.27\"}}\n")
                    .append(record("demo-service-0", "INFO"))
                    .append('\n');
        }
        bulk.append("{\"index\":{\"_index\":\"logs-2026.11.27\"}}\n")
                .append(record("demo-service-1", "ERROR"))
                .append('\n');
        bulk.append("{\"index\":{\"_index\":\"logs-2026.11.28\"}}\n")
                .append(
                        "{\"@timestamp\":\"2026-11-28T00:00:01.000Z\",\"message\":\"no level\",\"service_name\":\"demo-service\","
                                + "\"namespace\":\"demo\",\"pod\":\"demo-service-1\",\"container\":\"demo-service\",\"node\":\"n\"}\n");
        bulk.append("{\"index\":{\"_index\":\"logs-2026.11.27\"}}\n")
                .append(record("demo-service-0", "INFO").replace("\"namespace\":\"demo\"", "\"namespace\":\"other\""))
                .append('\n');
        http.client()
                .send(
                        java.net.http.HttpRequest.newBuilder(store.url().resolve("/_bulk"))
                                .header("Content-Type", "application/x-ndjson")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(bulk.toString()))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @AfterAll
    static void stop() {
        if (store != null) {
            store.close();
        }
    }

    private static String record(String pod, String level) {
        return "{\"@timestamp\":\"2026-11-27T11:20:00.123Z\",\"level\":\"" + level + "\",\"logger\":\"io.demo.Links\","
                + "\"thread\":\"main\",\"message\":\"hello\",\"service_name\":\"demo-service\",\"namespace\":\"demo\","
                + "\"pod\":\"" + pod + "\",\"container\":\"demo-service\",\"node\":\"n\"}";
    }

    @Test
    void countsRecordsPerPodAcrossIndicesAndOnlyInTheNamespace() throws Exception {
        assertThat(store.count("demo", "demo-service-0")).isEqualTo(3);
        assertThat(store.count("demo", "demo-service-1")).isEqualTo(2);
        assertThat(store.count("demo", "demo-service-2")).isZero();
        assertThat(store.count("other", "demo-service-0")).isEqualTo(1);
    }

    @Test
    void findsRecordsLackingAContractField() throws Exception {
        Map<String, Long> missing = store.recordsMissing("demo", List.of("@timestamp", "level", "pod"));

        assertThat(missing).containsExactly(Map.entry("@timestamp", 0L), Map.entry("level", 1L), Map.entry("pod", 0L));
    }

    @Test
    void deliveryCheckComparesFileLinesWithStoredRecords() throws Exception {
        Path pod0 = Files.createDirectories(dir.resolve("logs/demo-service-0"));
        Files.writeString(pod0.resolve("app.log"), "{}\n{}\n{}\n");
        Path pod1 = Files.createDirectories(dir.resolve("logs/demo-service-1"));
        Files.writeString(pod1.resolve("app.log"), "{}\n{}\n{}\n");

        CheckReport report = new CheckReport();
        new LogDeliveryCheck(
                        store,
                        "demo",
                        List.of(
                                new LogDeliveryCheck.Source("demo-service-0", pod0),
                                new LogDeliveryCheck.Source("demo-service-1", pod1)))
                .run(report, List.of("level"), java.time.Duration.ofSeconds(2));

        assertThat(report.allPassed()).isFalse();
        assertThat(report.stages().get(0).detail())
                .contains("demo-service-0 wrote 3, stored 3", "demo-service-1 wrote 3, stored 2");
        assertThat(report.failedStages()).containsExactly("log delivery", "log fields");
    }

    @Test
    void sidecarsAreToldToShipHere() {
        assertThat(store.sidecarEnvironment())
                .containsEntry("SIGHTLINE_SINK", "opensearch")
                .containsEntry("OPENSEARCH_URL", store.url().toString());
    }
}
