package io.sightline.sidecar;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.ship.SendResult;
import io.sightline.sidecar.ship.Sink;
import io.sightline.sidecar.source.FileOpener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While the sink is down and the in-flight bound is reached, the reader stops reading but keeps
 * looking: new files are found (and show in {@code lag_bytes}), and a file truncated before it was
 * read is counted as {@code lost_before_read}. Before, the one reader thread blocked on the full
 * queue and the lag metric froze for the whole outage.
 */
class BackpressureTest {

    @TempDir
    Path dir;

    @Test
    void discoveryLagAndLossAccountingGoOnWhileReadingIsPaused() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("a.log"), lines("a", 20_000));
        Files.writeString(logs.resolve("c.log"), lines("c", 1_000));
        Sink down = new Sink() {
            @Override
            public String name() {
                return "loki";
            }

            @Override
            public SendResult send(List<LogRecord> batch) {
                return SendResult.retryAll(batch, "http_503", null);
            }
        };
        TestSupport.CapturedDiagnostics diagnostics = new TestSupport.CapturedDiagnostics();
        Map<String, String> settings = TestSupport.settings(logs, dir.resolve("checkpoints"));
        settings.put("SIGHTLINE_BATCH_MAX_BYTES", "16KiB");
        settings.put("SIGHTLINE_MAX_IN_FLIGHT_BYTES", "64KiB");
        Sidecar sidecar =
                new Sidecar(TestSupport.config(settings), down, diagnostics.diagnostics, FileOpener.DEFAULT, () -> {
                    throw new AssertionError("pipeline thread died: " + diagnostics.text());
                });
        String input = logs + "/*.log";
        String lag = "sightline_sidecar_lag_bytes{input=\"" + input + "\"}";
        String lost = "sightline_sidecar_records_dropped_total{reason=\"lost_before_read\",sink=\"loki\"}";
        sidecar.start();
        try {
            long written = Files.size(logs.resolve("a.log")) + Files.size(logs.resolve("c.log"));
            await().atMost(Duration.ofSeconds(30)).until(() -> TestSupport.metric(sidecar, lag) == written);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> sidecar.delivery().inFlightBytes() > 32 * 1024);

            Files.writeString(logs.resolve("b.log"), lines("b", 500));
            long more = Files.size(logs.resolve("b.log"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(TestSupport.metric(sidecar, lag))
                    .as("lag once b.log appeared")
                    .isEqualTo(written + more));

            try (FileChannel truncate = FileChannel.open(logs.resolve("c.log"), StandardOpenOption.WRITE)) {
                truncate.truncate(0);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(TestSupport.metric(sidecar, lost))
                    .as("c.log truncated before it was read")
                    .isEqualTo(1.0));
            assertThat(sidecar.delivery().peakInFlightBytes()).isLessThanOrEqualTo(64 * 1024);
        } finally {
            sidecar.shutdown(Duration.ofSeconds(1));
        }
    }

    static String lines(String prefix, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(prefix).append(" line ").append(i).append(" with a little payload\n");
        }
        return text.toString();
    }
}
