package io.sightline.sidecar.node;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.sightline.sidecar.Main;
import io.sightline.testsupport.loki.FakeLoki;
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
    private static final String TIME = "2026-11-30T04:20:00.123456789Z";

    @TempDir
    Path dir;

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
            env.put("SIGHTLINE_BATCH_MAX_BYTES", "16KiB");
            env.put("SIGHTLINE_POLL_INTERVAL", "20ms");
            env.put("SIGHTLINE_METRICS_ENABLED", "false");
            for (int kill = 0; kill < KILLS; kill++) {
                Process agent = start(env, kill);
                int before = loki.entryCount();
                await().atMost(Duration.ofSeconds(60)).until(() -> loki.entryCount() > before || !agent.isAlive());
                int target = loki.entryCount() + random.nextInt(LINES / (2 * KILLS));
                await().atMost(Duration.ofSeconds(60)).until(() -> loki.entryCount() >= target || !agent.isAlive());
                assertThat(agent.isAlive())
                        .as("run %d (stderr: %s)", kill, stderr(kill))
                        .isTrue();
                agent.destroyForcibly();
                assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(loki.lineCounts())
                    .as("the kills happened while shipping")
                    .hasSizeLessThan(expected.size());

            Process last = start(env, KILLS);
            await().atMost(Duration.ofSeconds(180))
                    .until(() -> loki.lineCounts().keySet().containsAll(expected) || !last.isAlive());
            last.destroy();
            assertThat(last.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(last.exitValue()).as("stderr: %s", stderr(KILLS)).isZero();

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

    private static String other(String stream) {
        return stream.equals("stdout") ? "stderr" : "stdout";
    }

    private Process start(Map<String, String> env, int run) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                java,
                "-Xmx96m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName());
        builder.environment().putAll(env);
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.redirectError(dir.resolve("stderr-" + run + ".txt").toFile());
        return builder.start();
    }

    private String stderr(int run) throws IOException {
        Path file = dir.resolve("stderr-" + run + ".txt");
        return Files.exists(file) ? Files.readString(file) : "(none)";
    }
}
