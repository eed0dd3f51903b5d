package io.sightline.sidecar;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.sightline.sidecar.metrics.SidecarMetrics;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.ship.SendResult;
import io.sightline.sidecar.ship.Sink;
import io.sightline.sidecar.source.FileOpener;
import io.sightline.sidecar.source.FileOrigins;
import io.sightline.testsupport.contract.TelemetryContractDoc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pins {@code /metrics} to section 4 of the telemetry contract: exactly the log-sidecar metrics
 * listed there (names and label names, read from {@code docs/telemetry-contract.md}), and the
 * health endpoints on the management port.
 */
class MetricsContractTest {

    @TempDir
    Path dir;

    @Test
    void metricsEndpointServesExactlyTheContractsSidecarMetrics() throws Exception {
        Map<String, Set<String>> contract = contractMetrics();
        assertThat(contract).hasSize(11);

        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("app.log"), "{\"level\":\"INFO\",\"message\":\"one\"}\nplain two\n");
        AtomicInteger attempts = new AtomicInteger();
        Sink flaky = new Sink() {
            @Override
            public String name() {
                return "loki";
            }

            @Override
            public SendResult send(List<LogRecord> batch) {
                // the first attempt asks for a retry; then the JSON record is refused, the plain one accepted
                if (attempts.incrementAndGet() == 1) {
                    return SendResult.retryAll(batch, "http_503", Duration.ofMillis(10));
                }
                int refused = (int) batch.stream()
                        .filter(record -> record.line().startsWith("{"))
                        .count();
                return SendResult.rejected(refused, refused == 0 ? null : "HTTP 400: entry too far behind");
            }
        };
        TestSupport.CapturedDiagnostics diagnostics = new TestSupport.CapturedDiagnostics();
        Sidecar sidecar = new Sidecar(
                TestSupport.config(TestSupport.settings(logs, dir.resolve("cp"))),
                flaky,
                diagnostics.diagnostics,
                FileOpener.DEFAULT,
                () -> {
                    throw new AssertionError(diagnostics.text());
                });
        sidecar.start();
        try {
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            sidecar.metrics().recordsSent.labelValues("loki").get() >= 1);
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + sidecar.managementPort();
            HttpResponse<String> metrics = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));

            Map<String, Set<String>> exposed = exposedMetrics(metrics.body());
            assertThat(exposed).isEqualTo(contract);
            assertThat(metrics.body())
                    .contains("sightline_sidecar_records_dropped_total{reason=\"rejected\",sink=\"loki\"} 1.0")
                    .contains("sightline_sidecar_records_dropped_total{reason=\"lost_before_read\",sink=\"loki\"} 0.0")
                    .contains("sightline_sidecar_send_retries_total{cause=\"http_503\",sink=\"loki\"} 1.0")
                    .contains("sightline_sidecar_lines_read_total{input=\"" + logs + "/*.log\"} 2.0");
            assertThat(diagnostics.text()).contains("entry too far behind");

            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create(base + "/healthz"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create(base + "/readyz"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
        } finally {
            sidecar.shutdown(Duration.ofSeconds(5));
        }
    }

    /**
     * {@code last_success} is there from start-up (0: nothing accepted yet), so "nothing shipped lately"
     * also fires for a sidecar that never delivered anything; and a batch the sink refused entirely
     * is no success.
     */
    @Test
    void lastSuccessExistsFromStartUpAndMovesOnlyWhenRecordsAreAccepted() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Sink refusing = new Sink() {
            @Override
            public String name() {
                return "loki";
            }

            @Override
            public SendResult send(List<LogRecord> batch) {
                return SendResult.rejectAll(batch, "HTTP 400: entry too far behind");
            }
        };
        TestSupport.CapturedDiagnostics diagnostics = new TestSupport.CapturedDiagnostics();
        Sidecar sidecar = new Sidecar(
                TestSupport.config(TestSupport.settings(logs, dir.resolve("cp"))),
                refusing,
                diagnostics.diagnostics,
                FileOpener.DEFAULT,
                () -> {
                    throw new AssertionError(diagnostics.text());
                });
        String lastSuccess = "sightline_sidecar_last_success_timestamp_seconds{sink=\"loki\"}";
        try {
            sidecar.start();
            assertThat(TestSupport.metric(sidecar, lastSuccess))
                    .as("before anything was sent")
                    .isZero();
            Files.writeString(logs.resolve("app.log"), "refused\n");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> TestSupport.metric(
                                    sidecar,
                                    "sightline_sidecar_records_dropped_total{reason=\"rejected\",sink=\"loki\"}")
                            == 1.0);
            assertThat(TestSupport.metric(sidecar, lastSuccess))
                    .as("after a batch the sink refused")
                    .isZero();
        } finally {
            sidecar.shutdown(Duration.ofSeconds(5));
        }
    }

    /**
     * Start-up builds the metrics on a thread of their own (beside the configuration and the sink; issue 16): the
     * sidecar gets them complete, so before its reader starts every contract metric is registered and the drop
     * reasons, records sent and last success show 0 on {@code /metrics}; the reader then counts into that registry.
     */
    @Test
    void metricsBuiltOnTheirOwnThreadExistBeforeTheReaderStarts() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("app.log"), "one\n");
        TestSupport.CapturedDiagnostics diagnostics = new TestSupport.CapturedDiagnostics();
        Sidecar sidecar = new Sidecar(
                TestSupport.config(TestSupport.settings(logs, dir.resolve("cp"))),
                new TestSupport.CollectingSink(),
                diagnostics.diagnostics,
                FileOpener.DEFAULT,
                FileOrigins.OWN,
                SidecarMetrics.buildOnAThread().join(),
                () -> {
                    throw new AssertionError(diagnostics.text());
                });
        try {
            MetricSnapshots snapshots = sidecar.metrics().registry().scrape();
            Set<String> registered = new TreeSet<>();
            for (MetricSnapshot snapshot : snapshots) {
                // as exposed: the client appends _total to counters
                registered.add(snapshot.getMetadata().getPrometheusName()
                        + (snapshot instanceof CounterSnapshot ? "_total" : ""));
            }
            ByteArrayOutputStream exposition = new ByteArrayOutputStream();
            PrometheusTextFormatWriter.create().write(exposition, snapshots);
            String beforeReading = exposition.toString(StandardCharsets.UTF_8);
            assertThat(registered).isEqualTo(contractMetrics().keySet());
            for (String reason : SidecarMetrics.DROP_REASONS) {
                assertThat(beforeReading)
                        .contains("sightline_sidecar_records_dropped_total{reason=\"" + reason
                                + "\",sink=\"collecting\"} 0.0");
            }
            assertThat(beforeReading)
                    .contains("sightline_sidecar_records_sent_total{sink=\"collecting\"} 0.0")
                    .contains("sightline_sidecar_last_success_timestamp_seconds{sink=\"collecting\"} 0.0");

            sidecar.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> TestSupport.metric(
                                    sidecar, "sightline_sidecar_lines_read_total{input=\"" + logs + "/*.log\"}")
                            == 1.0);
        } finally {
            sidecar.shutdown(Duration.ofSeconds(5));
        }
    }

    /** Metric name (as exposed, counters with _total) to label names, from the log-sidecar table of the contract. */
    private static Map<String, Set<String>> contractMetrics() {
        return TelemetryContractDoc.metricLabels(TelemetryContractDoc.read().subsection("### log-sidecar"));
    }

    private static Map<String, Set<String>> exposedMetrics(String body) {
        Map<String, Set<String>> metrics = new TreeMap<>();
        Matcher sample = Pattern.compile("(?m)^([a-z_]+)(\\{([^}]*)})? ").matcher(body);
        while (sample.find()) {
            String name = sample.group(1).replaceAll("_(bucket|count|sum)$", "");
            Set<String> labels = metrics.computeIfAbsent(name, k -> new TreeSet<>());
            if (sample.group(3) != null) {
                for (String pair : sample.group(3).split(",")) {
                    String label = pair.substring(0, pair.indexOf('='));
                    if (!label.equals("le")) {
                        labels.add(label);
                    }
                }
            }
        }
        return metrics;
    }
}
