package io.sightline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.sightline.local.process.Executables;

/**
 * {@code ./sightline local --duration 90 --check} end to end, as CI runs it: the launcher in its own JVM with
 * the real demo service jar, real log-sidecar JVMs, a real embedded OpenSearch, the Debian Prometheus and
 * Alertmanager and the project's alert rules. Passes only if every stage of the check worked (records counted in
 * the files and in OpenSearch match, every target up with its labels, an alert fired by the burst reached the
 * webhook) and the launcher left no child process behind.
 */
class LocalStackEndToEndIT {

    private static final int DURATION_SECONDS = 90;

    @Test
    void wholePipelineWorksAndStopsCleanly() throws Exception {
        RequiredTool.require("prometheus");
        RequiredTool.require("prometheus-alertmanager", "alertmanager");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path demoJar = Arrays.stream(classpath.split(File.pathSeparator)).map(Path::of)
                .filter(p -> p.getFileName().toString().startsWith("sightline-demo-service-")).findFirst()
                .orElseThrow(() -> new AssertionError("sightline-demo-service is not on the test classpath: " + classpath));
        Path workDir = Path.of("target", "local-stack-e2e");
        Path output = Path.of("target", "local-stack-e2e.out");

        Process launcher = new ProcessBuilder(List.of(Executables.currentJava().toString(), "-Xms256m", "-Xmx640m",
                "-cp", classpath, Main.class.getName(),
                "--duration", Integer.toString(DURATION_SECONDS), "--check",
                "--work-dir", workDir.toString(),
                "--demo-jar", demoJar.toString(),
                "--rules-dir", Path.of("..", "k8s-monitoring", "rules").toString()))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!launcher.waitFor(DURATION_SECONDS + 360, TimeUnit.SECONDS)) {
            List<ProcessHandle> children = launcher.descendants().toList();
            launcher.destroy();
            launcher.waitFor(60, TimeUnit.SECONDS);
            children.forEach(ProcessHandle::destroyForcibly);
            fail("the launcher did not finish within " + (DURATION_SECONDS + 360) + " s; output:\n" + Files.readString(output));
        }
        String text = Files.readString(output);

        assertThat(launcher.exitValue()).as(text).isZero();
        assertThat(text).contains("all stages worked", "sightline local: stopped");
        for (String stage : List.of("processes", "traffic", "prometheus scrape", "alerts", "log delivery", "log fields")) {
            assertThat(text).containsPattern("ok +" + stage + " ");
        }
        // every child carries the work dir on its command line (Java children as -Dsightline.local.work-dir)
        String mark = workDir.toAbsolutePath().normalize().toString();
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(mark)).toList())
                .as("child processes left running").isEmpty();
    }
}
