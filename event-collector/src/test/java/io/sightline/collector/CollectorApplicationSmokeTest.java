package io.sightline.collector;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

import io.sightline.collector.pipeline.EventCollector;
import io.sightline.testsupport.contract.TelemetryContractDoc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application as deployed (telemetry starter included): readiness follows the informers, and the
 * management port serves the contract's metrics. There is no API server on these machines, so the
 * application's Kubernetes client points at fabric8's {@code KubernetesMockServer} in CRUD mode.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.port=0",
            "management.server.port=0",
            "sightline.collector.self-namespace=sightline",
            "sightline.collector.leader-election.lease-duration=4s",
            "sightline.collector.leader-election.renew-deadline=3s",
            "sightline.collector.leader-election.retry-period=250ms"
        })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CollectorApplicationSmokeTest {

    private static final MockCluster CLUSTER = MockCluster.crud();
    private static final Path OUTPUT = tempFile();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalManagementPort
    int managementPort;

    @Autowired
    EventCollector collector;

    @DynamicPropertySource
    static void output(DynamicPropertyRegistry registry) {
        registry.add("sightline.collector.output.path", OUTPUT::toString);
    }

    static {
        // the application builds its client from fabric8's standard system properties, as it would from the pod
        System.setProperty(
                "kubernetes.master", "http://127.0.0.1:" + CLUSTER.server().getPort());
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
    }

    /**
     * The collector stops first (its last checkpoint still reaches the mock server), then the mock server; the
     * cached application context closes later at JVM exit and finds the collector stopped.
     */
    @AfterAll
    void stopCollectorThenCluster() throws Exception {
        collector.close();
        System.clearProperty("kubernetes.master");
        System.clearProperty("kubernetes.auth.tryKubeConfig");
        System.clearProperty("kubernetes.auth.tryServiceAccount");
        CLUSTER.close();
    }

    @Test
    void readyAfterSyncAndMetricsOnTheManagementPort() throws Exception {
        await().until(collector::isLeading);
        assertThat(get("/actuator/health/readiness")).contains("\"status\":\"UP\"");

        Instant now = Instant.now();
        CLUSTER.createCore(MockCluster.coreEvent("shop", "web-1.x", "BackOff", "Warning", 2, now, now));
        await().untilAsserted(() -> assertThat(get("/actuator/prometheus"))
                .contains("sightline_kube_events_total{application=\"event-collector\",kind=\"Pod\","
                        + "namespace=\"shop\",reason=\"BackOff\",type=\"Warning\"} 2.0"));
        String metrics = get("/actuator/prometheus");
        assertThat(metrics)
                .contains("sightline_event_collector_leader{application=\"event-collector\"} 1.0")
                .contains("sightline_event_collector_relists_total{")
                .contains("sightline_event_collector_watch_errors_total{")
                .contains("sightline_event_collector_records_written_total{")
                .contains("sightline_event_collector_records_dropped_total{application=\"event-collector\","
                        + "reason=\"overflow\"} 0.0")
                .contains("sightline_event_collector_last_event_timestamp_seconds{")
                .contains("sightline_event_collector_checkpoint_age_seconds{")
                .contains("sightline_event_collector_checkpoint_size_bytes{")
                .contains("sightline_event_collector_checkpoint_failures_total{application=\"event-collector\","
                        + "operation=\"read\"} 0.0")
                .contains("sightline_event_collector_checkpoint_failures_total{application=\"event-collector\","
                        + "operation=\"write\"} 0.0")
                // case 7: the series the alert rules read exist at 0 as soon as the namespace has an event
                .contains("sightline_kube_events_total{application=\"event-collector\",kind=\"Pod\","
                        + "namespace=\"shop\",reason=\"Unhealthy\",type=\"Warning\"} 0.0");
        await().untilAsserted(() -> assertThat(Files.readAllLines(OUTPUT)).hasSize(1));
    }

    /** Every event-collector metric that docs/telemetry-contract.md section 4 names is served. */
    @Test
    void everyMetricOfTheContractIsServed() throws Exception {
        Set<String> listed = TelemetryContractDoc.metricLabels(
                        TelemetryContractDoc.read().subsection("### event-collector"))
                .keySet();
        assertThat(listed).contains("sightline_kube_events_total", "sightline_event_collector_leader");
        await().until(collector::isLeading);
        String metrics = get("/actuator/prometheus");
        assertThat(listed).allSatisfy(name -> assertThat(metrics).contains(name + "{"));
    }

    private String get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static Path tempFile() {
        try {
            Path dir = Files.createTempDirectory("event-collector-smoke");
            Path file = dir.resolve("events.log");
            // removed at JVM exit, after the cached context has closed (hooks delete in reverse order: file, then dir)
            dir.toFile().deleteOnExit();
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
