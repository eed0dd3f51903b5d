package io.sightline.local.parts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.sightline.local.parts.DemoServices.Instance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The environment a sidecar gets: its pod's Downward API variables, the log store's selection, and where to read,
 * checkpoint and serve metrics. The log store here is a Loki stand-in that answers {@code GET /ready} with 200, as
 * a ready Loki does; nothing is shipped to it.
 */
class LogSidecarsTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ReadyLoki loki = new ReadyLoki();

    @Test
    void aSidecarGetsItsPodsEnvironmentTheStoreAndItsPaths() throws IOException {
        String lokiUrl = loki.start();
        Path jar = Files.writeString(dir.resolve("demo.jar"), "");
        try (TestStack stack = new TestStack(dir.resolve("run"), "--demo-jar", jar.toString(), "--loki-url", lokiUrl)) {
            DemoServices services = new DemoServices(stack.context);
            LogStorePart store = new LogStorePart(stack.context);
            LogSidecars sidecars = new LogSidecars(stack.context, services, store);
            store.start();
            Path logs = dir.resolve("run/logs/demo-service-0");

            assertThat(sidecars.environment(new Instance("demo-service-0", 0, 0.002, 8080, 8081, logs), 9095))
                    .containsEntry("POD_NAMESPACE", "demo")
                    .containsEntry("POD_NAME", "demo-service-0")
                    .containsEntry("NODE_NAME", "node-a")
                    // the container whose logs it ships, as in the pod manifest
                    .containsEntry("CONTAINER_NAME", "demo-service")
                    .containsEntry("SIGHTLINE_SINK", "loki")
                    .containsEntry("LOKI_URL", lokiUrl)
                    .containsEntry(
                            "SIGHTLINE_INPUT_GLOBS", logs.resolve("*.log").toString())
                    .containsEntry(
                            "SIGHTLINE_CHECKPOINT_DIR",
                            logs.resolve(".sightline").toString())
                    .containsEntry("SIGHTLINE_METRICS_ADDRESS", "127.0.0.1")
                    .containsEntry("SIGHTLINE_METRICS_PORT", "9095");
            assertThat(stack.output()).contains("log store Loki at " + lokiUrl);
            store.close();
        }
    }
}
