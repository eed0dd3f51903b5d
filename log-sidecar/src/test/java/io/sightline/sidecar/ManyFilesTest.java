package io.sightline.sidecar;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.sightline.sidecar.ship.Sink;
import io.sightline.sidecar.source.FileOpener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many matching files (a node's worth of containers, or an application that writes one file per
 * job) must cost neither one file descriptor each nor unbounded memory: idle files are closed and
 * reopened by identity, and unfinished lines count against the in-flight bound.
 */
class ManyFilesTest {

    private static final int FILES = 10_000;
    private static final int MAX_OPEN = 64;

    @TempDir
    Path dir;

    @Test
    void tenThousandFilesAreShippedWithABoundedNumberOfOpenFiles() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        for (int i = 0; i < FILES; i++) {
            Files.writeString(logs.resolve(String.format("job-%05d.log", i)), "job " + i + " done\n");
        }
        TestSupport.CollectingSink sink = new TestSupport.CollectingSink();
        TestSupport.CapturedDiagnostics diagnostics = new TestSupport.CapturedDiagnostics();
        Map<String, String> settings = TestSupport.settings(logs, dir.resolve("checkpoints"));
        settings.put("SIGHTLINE_POLL_INTERVAL", "250ms");
        settings.put("SIGHTLINE_METRICS_ENABLED", "false");
        settings.put("SIGHTLINE_MAX_OPEN_FILES", MAX_OPEN + "");
        CountingOpener opener = new CountingOpener();
        Sidecar sidecar = new Sidecar(TestSupport.config(settings), sink, diagnostics.diagnostics, opener, () -> {
            throw new AssertionError("pipeline thread died: " + diagnostics.text());
        });
        sidecar.start();
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> sink.count() >= FILES);
            // a line appended to an early file after everything was shipped: its reader reopens it
            Files.writeString(logs.resolve("job-00000.log"), "job 0 done\njob 0 again\n");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> sink.records().stream().anyMatch(r -> r.line().equals("job 0 again")));
        } finally {
            sidecar.shutdown(Duration.ofSeconds(5));
        }
        assertThat(sink.count()).isEqualTo(FILES + 1);
        assertThat(opener.opened()).as("files opened").isGreaterThan(FILES);
        assertThat(opener.mostOpen()).as("most log files open at once").isLessThanOrEqualTo(MAX_OPEN);
    }

    /**
     * Unfinished lines (no newline yet) are held in memory: 100 files each holding 64 KiB would be
     * 6.4 MiB, 25 times the 256 KiB bound. They count against the bound, so reading stops there.
     */
    @Test
    void unfinishedLinesCountAgainstTheInFlightBound() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        String unfinished = "x".repeat(64 * 1024);
        for (int i = 0; i < 100; i++) {
            Files.writeString(logs.resolve(String.format("partial-%03d.log", i)), unfinished);
        }
        Sink down = new TestSupport.DownSink();
        TestSupport.CapturedDiagnostics diagnostics = new TestSupport.CapturedDiagnostics();
        Map<String, String> settings = TestSupport.settings(logs, dir.resolve("checkpoints"));
        settings.put("SIGHTLINE_BATCH_MAX_BYTES", "64KiB");
        settings.put("SIGHTLINE_MAX_IN_FLIGHT_BYTES", "256KiB");
        settings.put("SIGHTLINE_PARTIAL_LINE_TIMEOUT", "1h");
        Sidecar sidecar =
                new Sidecar(TestSupport.config(settings), down, diagnostics.diagnostics, FileOpener.DEFAULT, () -> {
                    throw new AssertionError("pipeline thread died: " + diagnostics.text());
                });
        String input = logs + "/*.log";
        sidecar.start();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> TestSupport.metric(sidecar, "sightline_sidecar_lag_bytes{input=\"" + input + "\"}")
                            == 100.0 * unfinished.length());
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            TestSupport.metric(sidecar, "sightline_sidecar_bytes_read_total{input=\"" + input + "\"}")
                                    >= 256 * 1024);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                            TestSupport.metric(sidecar, "sightline_sidecar_bytes_read_total{input=\"" + input + "\"}"))
                    .as("bytes read and held while nothing can be sent")
                    .isLessThanOrEqualTo(256 * 1024 + 64 * 1024));
        } finally {
            sidecar.shutdown(Duration.ofSeconds(1));
        }
    }

    /**
     * Opens files as the sidecar does and keeps the channels it opened: at each open, the ones still
     * open are counted (the most open at once is always reached at an open).
     */
    static final class CountingOpener implements FileOpener {
        private final Set<FileChannel> open = new HashSet<>();
        private int opened;
        private int mostOpen;

        @Override
        public synchronized FileChannel open(Path path, boolean followLinks) throws IOException {
            FileChannel channel = FileOpener.DEFAULT.open(path, followLinks);
            open.removeIf(c -> !c.isOpen());
            open.add(channel);
            opened++;
            mostOpen = Math.max(mostOpen, open.size());
            return channel;
        }

        synchronized int opened() {
            return opened;
        }

        synchronized int mostOpen() {
            return mostOpen;
        }
    }
}
