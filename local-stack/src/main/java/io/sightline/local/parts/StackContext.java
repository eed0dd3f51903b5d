package io.sightline.local.parts;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.sightline.local.LaunchOptions;
import io.sightline.local.http.JsonHttp;
import io.sightline.local.process.Executables;
import io.sightline.local.process.Ports;
import io.sightline.local.process.ProcessSupervisor;
import io.sightline.local.process.Readiness;

/**
 * What every part of one run shares: the options, the work dir, the supervisor of the child processes, the port
 * picker, an HTTP client, and the name of this machine (the "node" all pods run on). Parts never reach each other
 * through it: a part that needs another one gets it in its constructor.
 *
 * @param workDir the run's work dir (made empty by the launcher before the first part starts)
 */
public record StackContext(
        LaunchOptions options,
        Path workDir,
        ProcessSupervisor supervisor,
        Ports ports,
        JsonHttp http,
        Readiness readiness,
        String node,
        PrintStream out) {

    /** How long a sidecar, Prometheus, Alertmanager or Grafana may take to answer after its start. */
    public static final Duration TOOL_START_TIMEOUT = Duration.ofMinutes(1);

    /** A directory of the work dir, created if needed. */
    public Path dir(String first, String... more) throws IOException {
        return Files.createDirectories(workDir.resolve(Path.of(first, more)));
    }

    /** A message for the user, prefixed like every line of the launcher's own. */
    public void say(String message) {
        out.println("sightline local: " + message);
    }

    /**
     * The start of a child JVM's command line: the launcher's Java, the heap given, serial GC and C1 only (the
     * children run for minutes, on a small machine), and {@code -Dsightline.local.work-dir}, which names the run a
     * child belongs to in {@code ps} (the end-to-end test looks for leftovers with it).
     */
    public List<String> javaCommand(String initialHeap, String maxHeap) {
        return new ArrayList<>(List.of(
                Executables.currentJava().toString(),
                "-Xms" + initialHeap,
                "-Xmx" + maxHeap,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dsightline.local.work-dir=" + workDir));
    }
}
