package io.sightline.local.parts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.sightline.local.parts.DemoServices.Instance;
import io.sightline.local.process.Executables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoServicesTest {

    @TempDir
    Path dir;

    @Test
    void aMissingJarIsReportedBeforeAnythingStarts() {
        try (TestStack stack = new TestStack(
                dir.resolve("run"), "--demo-jar", dir.resolve("nope.jar").toString())) {
            assertThatThrownBy(() -> new DemoServices(stack.context))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--demo-jar " + dir.resolve("nope.jar") + " does not exist");
        }
        assertThat(dir.resolve("run")).doesNotExist();
    }

    @Test
    void anInstanceRunsOnLoopbackWithItsLogFileAndFailureRatioAndNoSampling() throws Exception {
        Path jar = Files.writeString(dir.resolve("demo.jar"), "");
        Path workDir = dir.resolve("run");
        try (TestStack stack = new TestStack(workDir, "--demo-jar", jar.toString())) {
            DemoServices services = new DemoServices(stack.context);
            Instance instance = new Instance("demo-service-1", 100, 0.002, 8180, 8181, workDir.resolve("logs/pod"));

            assertThat(services.command(instance))
                    .startsWith(
                            Executables.currentJava().toString(),
                            "-Xms64m",
                            "-Xmx256m",
                            "-XX:+UseSerialGC",
                            "-XX:TieredStopAtLevel=1",
                            "-Dsightline.local.work-dir=" + workDir,
                            "-jar",
                            jar.toString())
                    .contains(
                            "--server.address=127.0.0.1",
                            "--server.port=8180",
                            "--management.server.address=127.0.0.1",
                            "--management.server.port=8181",
                            "--sightline.logging.file.path=" + workDir.resolve("logs/pod/app.log"),
                            "--demo.failure-ratio=0.002",
                            "--sightline.tracing.sampling-probability=0.0");
            assertThat(services.podEnvironment(instance))
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            "POD_NAMESPACE", "demo",
                            "POD_NAME", "demo-service-1",
                            "NODE_NAME", "node-a",
                            "CONTAINER_NAME", "demo-service"));
        }
    }
}
