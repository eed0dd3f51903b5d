package io.sightline.sidecar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.sightline.sidecar.metrics.SidecarMetrics;
import io.sightline.sidecar.node.ContainerLogFilesForTests;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.ship.SendResult;
import io.sightline.sidecar.ship.Sink;
import io.sightline.sidecar.source.FileOpener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The node agent on a node with 2,000 pods' log files: a bounded number of open files, and unfinished lines (CRI
 * {@code P} fragments waiting for their {@code F}) counted against the in-flight bound, so memory does not grow
 * with the number of containers.
 */
class ManyPodsTest {

    private static final int PODS = 2_000;
    private static final int MAX_OPEN = 64;
    private static final String TIME = "2026-11-30T04:20:00.123456789Z";

    @TempDir
    Path dir;

    private Path pods() {
        return dir.resolve("pods");
    }

    private Path podLog(int i) throws Exception {
        String uid = String.format("00000000-0000-4000-8000-%012d", i);
        return Files.createDirectories(pods().resolve("ns_pod-" + i + "_" + uid).resolve("app"))
                .resolve("0.log");
    }

    private Map<String, String> settings() {
        Map<String, String> settings = TestSupport.settings(dir.resolve("unused"), dir.resolve("checkpoint"));
        settings.put("SIGHTLINE_MODE", "node");
        settings.put("SIGHTLINE_NODE_PODS_DIR", pods().toString());
        settings.put("SIGHTLINE_NODE_READ_FROM", "beginning");
        settings.put("SIGHTLINE_POLL_INTERVAL", "250ms");
        settings.put("SIGHTLINE_METRICS_ENABLED", "false");
        return settings;
    }

    @Test
    void twoThousandPodsAreShippedWithABoundedNumberOfOpenFiles() throws Exception {
        for (int i = 0; i < PODS; i++) {
            Files.writeString(podLog(i), TIME + " stdout F pod " + i + " started\n");
        }
        TestSupport.CollectingSink sink = new TestSupport.CollectingSink();
        TestSupport.CapturedDiagnostics diagnostics = new TestSupport.CapturedDiagnostics();
        Map<String, String> settings = settings();
        settings.put("SIGHTLINE_MAX_OPEN_FILES", MAX_OPEN + "");
        ManyFilesTest.CountingOpener opener = new ManyFilesTest.CountingOpener();
        Sidecar agent = new Sidecar(
                TestSupport.config(settings),
                sink,
                diagnostics.diagnostics,
                opener,
                ContainerLogFilesForTests.withoutMetadata(pods(), "node-a"),
                new SidecarMetrics(),
                () -> {
                    throw new AssertionError("pipeline thread died: " + diagnostics.text());
                });
        agent.start();
        try {
            await().atMost(Duration.ofSeconds(180)).until(() -> sink.count() >= PODS);
            Files.writeString(podLog(0), TIME + " stderr F pod 0 again\n", java.nio.file.StandardOpenOption.APPEND);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> sink.records().stream().anyMatch(r -> r.line().equals("pod 0 again")));
        } finally {
            agent.shutdown(Duration.ofSeconds(5));
        }
        assertThat(sink.count()).isEqualTo(PODS + 1);
        assertThat(sink.records().stream().map(r -> r.origin().pod()).distinct())
                .hasSize(PODS);
        assertThat(opener.mostOpen()).as("most log files open at once").isLessThanOrEqualTo(MAX_OPEN);
    }

    /** 2,000 containers each in the middle of a 16 KiB fragment would hold 32 MiB; the bound stops reading first. */
    @Test
    void unfinishedFragmentsOfManyContainersCountAgainstTheInFlightBound() throws Exception {
        String fragment = TIME + " stdout P " + "x".repeat(16 * 1024) + "\n";
        for (int i = 0; i < PODS; i++) {
            Files.writeString(podLog(i), fragment);
        }
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
        Map<String, String> settings = settings();
        settings.put("SIGHTLINE_BATCH_MAX_BYTES", "64KiB");
        settings.put("SIGHTLINE_MAX_IN_FLIGHT_BYTES", "256KiB");
        Sidecar agent = new Sidecar(
                TestSupport.config(settings),
                down,
                diagnostics.diagnostics,
                FileOpener.DEFAULT,
                ContainerLogFilesForTests.withoutMetadata(pods(), "node-a"),
                new SidecarMetrics(),
                () -> {
                    throw new AssertionError("pipeline thread died: " + diagnostics.text());
                });
        String bytesRead = "sightline_sidecar_bytes_read_total{input=\"" + pods().resolve("*/*/*.log*") + "\"}";
        agent.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> TestSupport.metric(agent, bytesRead) >= 256 * 1024);
            // What is held at once (records and unfinished fragments); that nothing is read again while the bound is
            // full is heldFragmentsAreNotReadAgainWhileTheBoundIsFull.
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                            agent.delivery().peakInFlightBytes())
                    .as("records and unfinished fragments held at once while nothing can be sent")
                    .isLessThanOrEqualTo(256 * 1024 + 2 * fragment.length()));
            assertThat(agent.delivery().peakInFlightBytes())
                    .as("the held fragments are what fills the bound")
                    .isGreaterThanOrEqualTo(256 * 1024 - fragment.length());
            assertThat(TestSupport.metric(agent, bytesRead))
                    .as("reading stopped far short of the %d files' fragments", PODS)
                    .isLessThan(PODS * fragment.length() / 4.0);
        } finally {
            agent.shutdown(Duration.ofSeconds(1));
        }
    }

    /**
     * While nothing can be sent, fragments held past their timeouts stay held: none is given up and read again (from
     * the same file, or by another reader taking the room it freed), so what is read stops growing once the bound is
     * full. Measured as the bytes read from the files (re-reads included), over 10 s after the bound filled.
     */
    @Test
    void heldFragmentsAreNotReadAgainWhileTheBoundIsFull() throws Exception {
        String fragment = TIME + " stdout P " + "x".repeat(16 * 1024) + "\n";
        for (int i = 0; i < PODS; i++) {
            Files.writeString(podLog(i), fragment);
        }
        TestSupport.CapturedDiagnostics diagnostics = new TestSupport.CapturedDiagnostics();
        Map<String, String> settings = settings();
        settings.put("SIGHTLINE_MAX_OPEN_FILES", MAX_OPEN + "");
        settings.put("SIGHTLINE_BATCH_MAX_BYTES", "64KiB");
        settings.put("SIGHTLINE_MAX_IN_FLIGHT_BYTES", "256KiB");
        CountingReads reads = new CountingReads();
        Sidecar agent = new Sidecar(
                TestSupport.config(settings),
                new TestSupport.DownSink(),
                diagnostics.diagnostics,
                reads,
                ContainerLogFilesForTests.withoutMetadata(pods(), "node-a"),
                new SidecarMetrics(),
                () -> {
                    throw new AssertionError("pipeline thread died: " + diagnostics.text());
                });
        agent.start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> agent.delivery().peakInFlightBytes() >= 256 * 1024 - fragment.length());
            long before = reads.bytes();
            // past the partial-line (5 s) and multiline (1 s) timeouts, several times over
            await().pollDelay(Duration.ofSeconds(10))
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> true);
            long during = reads.bytes() - before;
            System.out.printf("re-read churn: %,d bytes read in 10 s after the bound filled%n", during);
            assertThat(during)
                    .as("bytes read in 10 s while the bound stayed full")
                    .isLessThan(4L * fragment.length());
        } finally {
            agent.shutdown(Duration.ofSeconds(1));
        }
    }
}
