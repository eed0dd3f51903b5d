package io.sightline.sidecar;

import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.sightline.testsupport.loki.FakeLoki;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real sidecar ({@link Main}, a separate JVM on this module's classpath) ships a file to a
 * fake Loki on 127.0.0.1 ({@link FakeLoki}: no Loki binary runs here; Loki's JSON push format) and is killed
 * with SIGKILL at random moments while shipping, then restarted, ten times; a last run ships the rest
 * and stops on SIGTERM with exit code 0. Nothing may be lost, and duplicates may only come from the
 * batch that was in flight at each kill (sent, but its checkpoint not yet written).
 */
class CrashTest {

    private static final int LINES = 100_000;
    private static final int KILLS = 10;
    private static final int BATCH_BYTES = 16 * 1024;

    @TempDir
    Path dir;

    private SidecarProcesses processes;

    @BeforeEach
    void processes() {
        processes = new SidecarProcesses(dir, "64m");
    }

    @Test
    void sigkillLosesNothingAndRepeatsAtMostTheUnacknowledgedBatch() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        int shortestLine = Integer.MAX_VALUE;
        try (Writer out = Files.newBufferedWriter(logs.resolve("app.log"), StandardCharsets.UTF_8)) {
            for (int i = 0; i < LINES; i++) {
                String line = line(i);
                shortestLine = Math.min(shortestLine, line.length());
                out.write(line);
                out.write('\n');
            }
        }
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (FakeLoki loki = FakeLoki.start()) {
            Map<String, String> env = TestSupport.settings(logs, dir.resolve("checkpoints"));
            env.put("SIGHTLINE_SINK", "loki");
            env.put("LOKI_URL", loki.url().toString());
            env.put("LOKI_FORMAT", "json");
            env.put("SIGHTLINE_BATCH_MAX_BYTES", BATCH_BYTES + "");
            env.put("SIGHTLINE_METRICS_ENABLED", "false");
            List<Integer> exitCodes = new ArrayList<>();
            for (int kill = 0; kill < KILLS; kill++) {
                Process sidecar = processes.start(env, kill);
                int before = loki.entryCount();
                await().atMost(Duration.ofSeconds(60)).until(() -> loki.entryCount() > before || !sidecar.isAlive());
                // a random moment while shipping: after a random number of further entries arrived
                int target = loki.entryCount() + random.nextInt(LINES / (2 * KILLS));
                await().atMost(Duration.ofSeconds(60)).until(() -> loki.entryCount() >= target || !sidecar.isAlive());
                assertThat(sidecar.isAlive())
                        .as("sidecar run %d still running (stderr: %s)", kill, processes.stderr(kill))
                        .isTrue();
                sidecar.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
                assertThat(sidecar.waitFor(30, TimeUnit.SECONDS)).isTrue();
                exitCodes.add(sidecar.exitValue());
            }
            assertThat(exitCodes).as("killed by SIGKILL").containsOnly(137);
            assertThat(loki.lineCounts())
                    .as("the kills happened while shipping, not after")
                    .hasSizeLessThan(LINES);

            Process last = processes.start(env, KILLS);
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> loki.lineCounts().size() >= LINES || !last.isAlive());
            last.destroy(); // SIGTERM: orderly stop
            assertThat(last.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(last.exitValue())
                    .as("exit code after SIGTERM (stderr: %s)", processes.stderr(KILLS))
                    .isZero();

            Map<String, Integer> delivered = loki.lineCounts();
            for (int i = 0; i < LINES; i++) {
                assertThat(delivered.get(line(i)))
                        .as("line %d delivered (seed %d)", i, seed)
                        .isNotNull();
            }
            assertThat(delivered).hasSize(LINES);
            int duplicates = loki.entryCount() - LINES;
            int maxRecordsPerBatch = BATCH_BYTES / (shortestLine + 64);
            System.out.printf(
                    "crash test: %d kills, %d duplicate entries (bound %d), seed %d%n",
                    KILLS, duplicates, KILLS * maxRecordsPerBatch, seed);
            assertThat(duplicates)
                    .as("duplicates after %d kills (seed %d)", KILLS, seed)
                    .isLessThanOrEqualTo(KILLS * maxRecordsPerBatch);
        }
    }

    /**
     * A sidecar killed while its sink was unreachable has acknowledged nothing; the application's log
     * is then rotated by rename before the sidecar runs again. The file it had started to read must be
     * found under its new name and read from the start: the checkpoint knows a file from the moment
     * it is first read, not only from its first acknowledgement.
     */
    @Test
    void aFileRotatedWhileTheSidecarWasDownIsFoundAfterAKill() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path app = logs.resolve("app.log");
        Files.writeString(app, "written before the kill\n");
        Map<String, String> env = TestSupport.settings(logs, dir.resolve("checkpoints"));
        env.put("SIGHTLINE_SINK", "loki");
        env.put("LOKI_URL", "http://127.0.0.1:" + closedPort());
        env.put("SIGHTLINE_METRICS_ENABLED", "false");
        env.put("SIGHTLINE_LOG_LEVEL", "debug");
        Process unreachable = processes.start(env, 0);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> processes.stderr(0).contains("sink not reachable") || !unreachable.isAlive());
        assertThat(unreachable.isAlive()).as("stderr: %s", processes.stderr(0)).isTrue();
        unreachable.destroyForcibly();
        assertThat(unreachable.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Files.move(app, logs.resolve("app.log.1"));
        Files.writeString(app, "written after the rotation\n");
        env.put("SIGHTLINE_SINK", "stdout");
        env.put("SIGHTLINE_LOG_LEVEL", "info");
        Path out = dir.resolve("stdout.txt");
        Process shipping = processes.start(env, 1, out);
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Files.exists(out) && Files.readString(out).contains("written after the rotation"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readString(out))
                    .as("stderr: %s", processes.stderr(1))
                    .contains("written before the kill"));
        } finally {
            shipping.destroy();
            shipping.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String line(int sequence) {
        return "{\"@timestamp\":\"2026-11-27T11:20:00.123Z\",\"level\":\"INFO\",\"service_name\":\"crash\",\"message\":\"crash test line\",\"seq\":"
                + sequence + "}";
    }
}
