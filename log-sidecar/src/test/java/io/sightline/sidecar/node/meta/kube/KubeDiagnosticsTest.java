package io.sightline.sidecar.node.meta.kube;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.sidecar.node.KubernetesApiTest;
import io.sightline.testsupport.tool.JavaCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent's stderr holds its diagnostics as JSON lines; fabric8 (through SLF4J) must add no plain-text
 * notices to it. Runs in a JVM of its own, where nothing else has set SLF4J up before the node mode does.
 */
@KubernetesApiTest
class KubeDiagnosticsTest {

    @TempDir
    Path dir;

    @Test
    void stderrHoldsOnlyJsonDiagnosticsWhenTheApiServerIsAway() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path err = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(JavaCommand.of(
                        List.of(
                                "-Xmx64m",
                                "-Dkubernetes.master=http://127.0.0.1:" + closedPort,
                                "-Dkubernetes.auth.tryKubeConfig=false",
                                "-Dkubernetes.auth.tryServiceAccount=false",
                                "-Dkubernetes.request.retry.backoffLimit=0"),
                        UnreachableApiServer.class))
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(err.toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Files.readString(err, StandardCharsets.UTF_8).contains("listing/watching"));
        } finally {
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        ObjectMapper json = new ObjectMapper();
        assertThat(Files.readAllLines(err, StandardCharsets.UTF_8))
                .isNotEmpty()
                .allSatisfy(line ->
                        assertThat(json.readTree(line).isObject()).as(line).isTrue());
    }
}
