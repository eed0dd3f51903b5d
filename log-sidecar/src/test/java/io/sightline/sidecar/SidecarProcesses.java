package io.sightline.sidecar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.sightline.testsupport.tool.JavaCommand;

/**
 * The sidecar program ({@link Main}) as a process of its own, on this module's classpath, for the tests that kill
 * it with SIGKILL. Each run's stderr goes to a file in the test's directory, to be shown when an assertion fails.
 */
public final class SidecarProcesses {

    private final Path dir;
    private final String maxHeap;

    /** {@code dir}: where the stderr files go; {@code maxHeap}: the {@code -Xmx} value, as the deployment sets it. */
    public SidecarProcesses(Path dir, String maxHeap) {
        this.dir = dir;
        this.maxHeap = maxHeap;
    }

    /** Starts run number {@code run} with {@code env} added to this process's environment; stdout discarded. */
    public Process start(Map<String, String> env, int run) throws IOException {
        return start(env, run, null);
    }

    /** As {@link #start(Map, int)}, with stdout written to {@code stdout} (null: discarded). */
    public Process start(Map<String, String> env, int run, Path stdout) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                JavaCommand.of(List.of("-Xmx" + maxHeap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), Main.class));
        builder.environment().putAll(env);
        builder.redirectOutput(
                stdout == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(stdout.toFile()));
        builder.redirectError(stderrFile(run).toFile());
        return builder.start();
    }

    /** What run {@code run} wrote to stderr so far. */
    public String stderr(int run) throws IOException {
        Path file = stderrFile(run);
        return Files.exists(file) ? Files.readString(file) : "(none)";
    }

    private Path stderrFile(int run) {
        return dir.resolve("stderr-" + run + ".txt");
    }
}
