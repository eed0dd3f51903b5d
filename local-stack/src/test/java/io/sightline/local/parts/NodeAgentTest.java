package io.sightline.local.parts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The environment the node agent gets: node mode on the third-party tree, no API server (no pod metadata), its
 * checkpoint outside the tree, the log store's selection. The log store is a Loki stand-in answering
 * {@code GET /ready}; nothing is shipped to it. The agent's shipping is checked end to end by
 * {@code LocalStackEndToEndIT} (stage "third-party logs").
 */
class NodeAgentTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ReadyLoki loki = new ReadyLoki();

    @Test
    void theAgentShipsTheThirdPartyTreeInNodeModeWithItsCheckpointElsewhere() throws IOException {
        String lokiUrl = loki.start();
        Path jar = Files.writeString(dir.resolve("demo.jar"), "");
        try (TestStack stack = new TestStack(dir.resolve("run"), "--demo-jar", jar.toString(), "--loki-url", lokiUrl)) {
            LogStorePart store = new LogStorePart(stack.context);
            ThirdPartyLogs podLogs = new ThirdPartyLogs(stack.context);
            NodeAgent agent = new NodeAgent(stack.context, podLogs, store);
            store.start();
            podLogs.start();

            Path tree = dir.resolve("run/var/log/pods");
            assertThat(agent.environment())
                    .containsEntry("SIGHTLINE_MODE", "node")
                    .containsEntry("SIGHTLINE_NODE_PODS_DIR", tree.toString())
                    .containsEntry("SIGHTLINE_NODE_POD_METADATA", "false")
                    .containsEntry(
                            "SIGHTLINE_CHECKPOINT_DIR",
                            dir.resolve("run/node-agent/checkpoint").toString())
                    .containsEntry("NODE_NAME", "node-a")
                    .containsEntry("SIGHTLINE_SINK", "loki")
                    .containsEntry("LOKI_URL", lokiUrl);
            assertThat(Path.of(agent.environment().get("SIGHTLINE_CHECKPOINT_DIR"))
                            .startsWith(tree))
                    .as("checkpoint outside the pods tree")
                    .isFalse();
            store.close();
        }
    }
}
