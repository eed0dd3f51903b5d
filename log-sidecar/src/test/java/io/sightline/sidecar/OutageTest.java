package io.sightline.sidecar;

import java.io.Writer;
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

import io.sightline.sidecar.config.MapSettings;
import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.ship.loki.LokiSettings;
import io.sightline.sidecar.ship.loki.LokiSink;
import io.sightline.sidecar.source.FileOpener;
import io.sightline.testsupport.loki.FakeLoki;
import io.sightline.testsupport.loki.Request;
import io.sightline.testsupport.loki.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sink (the real Loki sink, JSON format, against {@link FakeLoki} on 127.0.0.1, a fake because no Loki binary
 * runs here) answers 503, then 429 with {@code Retry-After}, then refuses connections, then recovers. Nothing may be
 * lost or duplicated, the in-flight bytes must never exceed their bound (reading pauses; the file
 * is the buffer), the retries must show in {@code /metrics}, and {@code /readyz} must fail while the
 * sink is unreachable and pass again after.
 */
class OutageTest {

    private static final int LINES = 20_000;
    private static final long IN_FLIGHT_LIMIT = 256 * 1024;

    @TempDir
    Path dir;

    @Test
    void outageLosesNothingKeepsMemoryBoundedAndShowsRetries() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        try (Writer out = Files.newBufferedWriter(logs.resolve("app.log"), StandardCharsets.UTF_8)) {
            for (int i = 0; i < LINES; i++) {
                out.write(
                        "{\"@timestamp\":\"2026-11-27T11:20:00.123Z\",\"level\":\"WARN\",\"service_name\":\"outage\",\"seq\":"
                                + i + ",\"message\":\"while the sink is down\"}\n");
            }
        }
        HttpClient http = HttpClient.newHttpClient();
        try (FakeLoki loki = FakeLoki.start()) {
            loki.answerEveryRequest(Response.status(503));
            Map<String, String> settings = TestSupport.settings(logs, dir.resolve("checkpoints"));
            settings.put("SIGHTLINE_SINK", "loki");
            settings.put("LOKI_URL", loki.url().toString());
            settings.put("LOKI_FORMAT", "json");
            // the default 10 s: the fake's first decoding push (after its restart below) loads Jackson's databind,
            // which on these loaded machines can take longer than 2 s; a timeout after the push was stored repeats it
            settings.put("LOKI_TIMEOUT", "10s");
            settings.put("SIGHTLINE_BATCH_MAX_BYTES", "64KiB");
            settings.put("SIGHTLINE_MAX_IN_FLIGHT_BYTES", IN_FLIGHT_LIMIT + "");
            settings.put("SIGHTLINE_READY_WINDOW", "300ms");
            // Retry-After is honoured up to the maximum back-off: room for the 1 s asked for below
            settings.put("SIGHTLINE_RETRY_MAX_BACKOFF", "2s");
            LokiSink sink = new LokiSink(
                    LokiSettings.from(new MapSettings(settings)), new Identity("shop", "pod-1", "node-1", "app", null));
            TestSupport.CapturedDiagnostics diagnostics = new TestSupport.CapturedDiagnostics();
            Sidecar sidecar =
                    new Sidecar(TestSupport.config(settings), sink, diagnostics.diagnostics, FileOpener.DEFAULT, () -> {
                        throw new AssertionError("pipeline thread died: " + diagnostics.text());
                    });
            sidecar.start();
            URI metrics = URI.create("http://127.0.0.1:" + sidecar.managementPort() + "/metrics");
            URI readyz = URI.create("http://127.0.0.1:" + sidecar.managementPort() + "/readyz");

            // 503: retried; reading stops at the in-flight bound although the file holds far more
            await().atMost(Duration.ofSeconds(30)).until(() -> retries(sidecar, "http_503") >= 5);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> sidecar.delivery().inFlightBytes() >= IN_FLIGHT_LIMIT / 2);
            assertThat(loki.entryCount()).isZero();

            // 429 with Retry-After: 1 (second): the sidecar waits at least that long between attempts
            loki.answerEveryRequest(Response.status(429).withHeader("Retry-After", "1"));
            await().atMost(Duration.ofSeconds(30)).until(() -> retries(sidecar, "http_429") >= 3);
            List<Long> answered429 = loki.requests().stream()
                    .filter(r -> r.status() == 429)
                    .map(Request::answeredNanos)
                    .toList();
            for (int i = 1; i < answered429.size(); i++) {
                assertThat(answered429.get(i) - answered429.get(i - 1))
                        .as("gap between 429 answers (ns)")
                        .isGreaterThanOrEqualTo(Duration.ofMillis(950).toNanos());
            }

            // connection refused: retried as io_error, and /readyz reports the sink unreachable
            loki.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> retries(sidecar, "io_error") >= 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> status(http, readyz) == 503);
            assertThat(sidecar.delivery().peakInFlightBytes()).isLessThanOrEqualTo(IN_FLIGHT_LIMIT);

            // recovery: everything arrives exactly once
            loki.answerLikeLoki();
            loki.restart();
            await().atMost(Duration.ofSeconds(60)).until(() -> loki.entryCount() >= LINES);
            await().atMost(Duration.ofSeconds(10)).until(() -> status(http, readyz) == 200);
            String text = body(http, metrics);
            assertThat(sidecar.shutdown(Duration.ofSeconds(5))).isTrue();

            assertThat(loki.entryCount()).isEqualTo(LINES);
            assertThat(loki.lineCounts()).hasSize(LINES);
            assertThat(sidecar.delivery().peakInFlightBytes()).isLessThanOrEqualTo(IN_FLIGHT_LIMIT);
            assertThat(text)
                    .containsPattern("sightline_sidecar_send_retries_total\\{cause=\"http_503\",sink=\"loki\"} [1-9]")
                    .containsPattern("sightline_sidecar_send_retries_total\\{cause=\"http_429\",sink=\"loki\"} [1-9]")
                    .containsPattern("sightline_sidecar_send_retries_total\\{cause=\"io_error\",sink=\"loki\"} [1-9]")
                    .contains("sightline_sidecar_records_sent_total{sink=\"loki\"} " + LINES + ".0")
                    .contains("sightline_sidecar_records_dropped_total{reason=\"rejected\",sink=\"loki\"} 0.0");
        }
    }

    private static double retries(Sidecar sidecar, String cause) {
        return sidecar.metrics().sendRetries.labelValues("loki", cause).get();
    }

    private static int status(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static String body(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
