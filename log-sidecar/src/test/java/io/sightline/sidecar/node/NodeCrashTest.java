package io.sightline.sidecar.node;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.sightline.sidecar.SidecarProcesses;
import io.sightline.testsupport.loki.FakeLoki;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The node agent as its own process, killed with SIGKILL again and again while it ships two containers' CRI files
 * (both streams, long lines in 16 KiB fragments interleaved with the other stream) to a fake Loki on 127.0.0.1
 * ({@link FakeLoki}: no Loki binary runs here; Loki's JSON push format). After the last, orderly run every line is
 * in Loki, whole, at least once.
 */
class NodeCrashTest {

    private static final int LINES = 20_000;
    private static final int KILLS = 5;
    private static final int BATCH_BYTES = 16 * 1024;
    private static final String TIME = "2026-11-30T04:20:00.123456789Z";

    @TempDir
    Path dir;

    private SidecarProcesses processes;

    @BeforeEach
    void processes() {
        processes = new SidecarProcesses(dir, "96m");
    }

    @Test
    void sigkillWhileShippingLosesNoLineAndCutsNone() throws Exception {
        Path pods = dir.resolve("pods");
        List<String> expected = new ArrayList<>();
        for (String container : List.of("app", "proxy")) {
            Path log = Files.createDirectories(pods.resolve("shop_pod-" + container
                                    + "_1f0a3c52-6b9e-4d7a-9c1e-0d2f3a4b5c6" + container.length())
                            .resolve(container))
                    .resolve("0.log");
            try (Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                for (int i = 0; i < LINES; i++) {
                    String message = container + " line " + i;
                    String stream = i % 2 == 0 ? "stdout" : "stderr";
                    if (i % 500 == 0) {
                        // a long line in two fragments, the other stream's line between them
                        String half = "x".repeat(16 * 1024);
                        out.write(TIME + " " + stream + " P " + half + "\n");
                        out.write(TIME + " " + other(stream) + " F " + message + " between\n");
                        out.write(TIME + " " + stream + " F " + half + message + "\n");
                        expected.add(message + " between");
                        expected.add(half + half + message);
                    } else {
                        out.write(TIME + " " + stream + " F " + message + "\n");
                        expected.add(message);
                    }
                }
            }
        }
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (FakeLoki loki = FakeLoki.start()) {
            Map<String, String> env = env(pods, loki);
            for (int kill = 0; kill < KILLS; kill++) {
                // a random moment while shipping: after a random number of entries arrived
                killAfter(processes.start(env, kill), kill, loki, 1 + random.nextInt(LINES / (2 * KILLS)));
            }
            assertThat(loki.lineCounts())
                    .as("the kills happened while shipping")
                    .hasSizeLessThan(expected.size());

            Process last = processes.start(env, KILLS);
            await().atMost(Duration.ofSeconds(180))
                    .until(() -> loki.lineCounts().keySet().containsAll(expected) || !last.isAlive());
            last.destroy();
            assertThat(last.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(last.exitValue())
                    .as("stderr: %s", processes.stderr(KILLS))
                    .isZero();

            Map<String, Integer> delivered = loki.lineCounts();
            List<String> missing = expected.stream()
                    .filter(line -> !delivered.containsKey(line))
                    .toList();
            assertThat(missing).as("lines lost (seed %d)", seed).isEmpty();
            assertThat(delivered.keySet())
                    .as("nothing but whole lines (seed %d)", seed)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /**
     * Killed while it replays a rotation the kubelet compressed while it was down, then started again: the replay
     * goes on from what was acknowledged (the checkpoint entry stays the plain file's generation, the compressed
     * file is found again by its content), nothing is lost, and what repeats is at most the batch unacknowledged at
     * each kill.
     */
    @Test
    void sigkillDuringTheReplayOfACompressedRotationLosesNothing() throws Exception {
        Path pods = dir.resolve("pods");
        Path log = appLog(pods);
        List<String> expected = new ArrayList<>();
        writeLines(log, 0, LINES, expected);
        try (FakeLoki loki = FakeLoki.start()) {
            Map<String, String> env = env(pods, loki);
            killAfter(processes.start(env, 0), 0, loki, LINES / 10);
            assertThat(loki.lineCounts())
                    .as("the first run read part of the file")
                    .hasSizeLessThan(LINES / 2);

            // the kubelet: rename with a stamp, the runtime reopens 0.log; one rotation later the gzip
            Path rotated = log.resolveSibling("0.log.20261130-042000");
            Files.move(log, rotated);
            writeLines(log, LINES, LINES + 1_000, expected);
            KubeletCompression.compress(rotated);

            int before = loki.lineCounts().size();
            killAfter(processes.start(env, 1), 1, loki, LINES / 5);
            assertThat(loki.lineCounts())
                    .as("killed while replaying (stderr: %s)", processes.stderr(1))
                    .hasSizeGreaterThan(before)
                    .doesNotContainKey(message(LINES - 1));

            lastRunDeliversEveryLineRepeatingAtMostTwoBatches(env, loki, expected);
        }
    }

    /**
     * Killed while it replays a generation it never saw (written, rotated and compressed while it was down, after the
     * checkpointed one), then started again: the unseen generation's replay has a checkpoint entry of its own from its
     * start, so it goes on from what was acknowledged; nothing is lost, what repeats is at most the batch
     * unacknowledged at each kill.
     */
    @Test
    void sigkillDuringTheReplayOfAnUnseenCompressedGenerationLosesNothing() throws Exception {
        killedDuringTheReplayOfAnUnseenGenerationLosesNothing((log, expected) -> {
            // while down: A's rest, then generation B (never seen), each rotated and compressed; C live
            writeLines(log, 1_000, 2_000, expected, true);
            rotateAndCompress(log, "20261130-042000");
            writeLines(log, 2_000, 2_000 + LINES, expected);
            rotateAndCompress(log, "20261130-043000");
            writeLines(log, 2_000 + LINES, 3_000 + LINES, expected);
        });
    }

    /**
     * The same when the container restarted while the agent was down and the new restart's first generation was
     * compressed: {@code 0.log}'s rest is read first, the replay of restart 1's generation goes on from what was
     * acknowledged under its own checkpoint entry, then {@code 1.log}.
     */
    @Test
    void sigkillDuringTheReplayOfANewRestartsCompressedGenerationLosesNothing() throws Exception {
        killedDuringTheReplayOfAnUnseenGenerationLosesNothing((log, expected) -> {
            // while down: restart 0's last lines, then restart 1's first generation rotated and compressed; 1.log live
            writeLines(log, 1_000, 2_000, expected, true);
            Path restart1 = log.resolveSibling("1.log");
            writeLines(restart1, 2_000, 2_000 + LINES, expected);
            rotateAndCompress(restart1, "20261130-043000");
            writeLines(restart1, 2_000 + LINES, 3_000 + LINES, expected);
        });
    }

    /** What the container writes while the agent is down, after line 999: lines 1,000 to 2,999 + {@link #LINES}. */
    private interface WhileDown {
        void write(Path log, List<String> expected) throws IOException;
    }

    /**
     * Ships lines 0 to 999 of the container's {@code 0.log}, kill -9; {@code whileDown} writes, line 2,000 on in a
     * generation never seen and compressed; killed again while that generation is replayed; a last run delivers all.
     */
    private void killedDuringTheReplayOfAnUnseenGenerationLosesNothing(WhileDown whileDown) throws Exception {
        Path pods = dir.resolve("pods");
        Path log = appLog(pods);
        List<String> expected = new ArrayList<>();
        writeLines(log, 0, 1_000, expected);
        try (FakeLoki loki = FakeLoki.start()) {
            Map<String, String> env = env(pods, loki);
            Process first = processes.start(env, 0);
            await().atMost(Duration.ofSeconds(60)).until(() -> loki.lineCounts().size() >= 1_000 || !first.isAlive());
            kill(first, 0);

            whileDown.write(log, expected);

            int before = loki.entryCount();
            killAfter(processes.start(env, 1), 1, loki, 1_000 + LINES / 5);
            assertThat(loki.lineCounts())
                    .as("killed while replaying the unseen generation (stderr: %s)", processes.stderr(1))
                    .containsKey(message(1_999))
                    .containsKey(message(2_000))
                    .doesNotContainKey(message(1_999 + LINES));
            assertThat(loki.entryCount()).isGreaterThan(before);

            lastRunDeliversEveryLineRepeatingAtMostTwoBatches(env, loki, expected);
        }
    }

    /** The live log file of the container {@code app} of one pod. */
    private static Path appLog(Path pods) throws IOException {
        return Files.createDirectories(pods.resolve("shop_pod-app_1f0a3c52-6b9e-4d7a-9c1e-0d2f3a4b5c6d")
                        .resolve("app"))
                .resolve("0.log");
    }

    /** A third, orderly run after two kills: every line arrives, repeated are at most the two unacknowledged batches. */
    private void lastRunDeliversEveryLineRepeatingAtMostTwoBatches(
            Map<String, String> env, FakeLoki loki, List<String> expected) throws Exception {
        Process last = processes.start(env, 2);
        await().atMost(Duration.ofSeconds(180))
                .until(() -> loki.lineCounts().keySet().containsAll(expected) || !last.isAlive());
        last.destroy();
        assertThat(last.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as("stderr: %s", processes.stderr(2)).isZero();

        Map<String, Integer> delivered = loki.lineCounts();
        assertThat(expected.stream().filter(line -> !delivered.containsKey(line)))
                .as("lines lost")
                .isEmpty();
        assertThat(delivered.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        int recordsPerBatch = BATCH_BYTES / (message(0).length() + 64);
        assertThat(loki.entryCount() - expected.size())
                .as("repeated: at most the unacknowledged batch of each of the 2 kills")
                .isLessThanOrEqualTo(2 * recordsPerBatch);
    }

    private static void rotateAndCompress(Path log, String stamp) throws IOException {
        Path rotated = log.resolveSibling(log.getFileName() + "." + stamp);
        Files.move(log, rotated);
        KubeletCompression.compress(rotated);
    }

    /** Waits until {@code entries} more entries arrived, then kills the process with SIGKILL. */
    private void killAfter(Process agent, int run, FakeLoki loki, int entries) throws Exception {
        int target = loki.entryCount() + entries;
        await().atMost(Duration.ofSeconds(60)).until(() -> loki.entryCount() >= target || !agent.isAlive());
        kill(agent, run);
    }

    private void kill(Process agent, int run) throws Exception {
        assertThat(agent.isAlive())
                .as("run %d (stderr: %s)", run, processes.stderr(run))
                .isTrue();
        agent.destroyForcibly();
        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static void writeLines(Path log, int from, int to, List<String> expected) throws IOException {
        writeLines(log, from, to, expected, false);
    }

    private static void writeLines(Path log, int from, int to, List<String> expected, boolean append)
            throws IOException {
        try (Writer out = append
                ? Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)
                : Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (int i = from; i < to; i++) {
                out.write(TIME + " " + (i % 2 == 0 ? "stdout" : "stderr") + " F " + message(i) + "\n");
                expected.add(message(i));
            }
        }
    }

    private static String message(int i) {
        return "app line " + i;
    }

    private Map<String, String> env(Path pods, FakeLoki loki) {
        Map<String, String> env = new HashMap<>();
        env.put("SIGHTLINE_MODE", "node");
        env.put("SIGHTLINE_NODE_PODS_DIR", pods.toString());
        env.put("SIGHTLINE_NODE_READ_FROM", "beginning");
        env.put("SIGHTLINE_NODE_POD_METADATA", "false");
        env.put("NODE_NAME", "node-a");
        env.put("SIGHTLINE_CHECKPOINT_DIR", dir.resolve("checkpoint").toString());
        env.put("SIGHTLINE_SINK", "loki");
        env.put("LOKI_URL", loki.url().toString());
        env.put("LOKI_FORMAT", "json");
        env.put("SIGHTLINE_BATCH_MAX_BYTES", BATCH_BYTES + "");
        env.put("SIGHTLINE_POLL_INTERVAL", "20ms");
        env.put("SIGHTLINE_METRICS_ENABLED", "false");
        return env;
    }

    private static String other(String stream) {
        return stream.equals("stdout") ? "stderr" : "stdout";
    }
}
