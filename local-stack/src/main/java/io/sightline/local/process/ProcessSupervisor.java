package io.sightline.local.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Starts the stack's child processes and ends all of them, newest first (sidecars after the services they
 * tail, Prometheus after its targets), exactly once, whether the run finished, failed or was interrupted.
 */
public final class ProcessSupervisor implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Path outputDir;
    private final Deque<ManagedProcess> running = new ArrayDeque<>();
    private ContainerRuntime containerRuntime;

    public ProcessSupervisor(Path outputDir) {
        this.outputDir = outputDir;
    }

    /** Processes started from now on whose name {@code runtime} {@link ContainerRuntime#runs runs} give it their output. */
    public synchronized void useContainerRuntime(ContainerRuntime runtime) {
        this.containerRuntime = runtime;
    }

    /**
     * Starts {@code command} with {@code environment} added to the launcher's own; stdout and stderr go to
     * {@code <outputDir>/<name>.out} (through the container runtime, if it runs this process).
     */
    public synchronized ManagedProcess start(String name, List<String> command, Map<String, String> environment) {
        Path output = outputDir.resolve(name + ".out");
        try {
            Files.createDirectories(outputDir);
            boolean inContainer = containerRuntime != null && containerRuntime.runs(name);
            ProcessBuilder builder = new ProcessBuilder(command);
            if (!inContainer) {
                builder.redirectErrorStream(true).redirectOutput(output.toFile());
            }
            builder.environment().putAll(environment);
            Process started = builder.start();
            started.getOutputStream().close(); // no child reads stdin; EOF instead of a pipe that never fills
            ManagedProcess process = new ManagedProcess(name, started, output);
            running.push(process);
            if (inContainer) {
                // once it runs, so that closing the supervisor stops it if its output cannot be taken
                containerRuntime.attach(name, started, output);
            }
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Could not start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
    }

    /** Stops one process now (e.g. the demo services before the final log count) and forgets it. */
    public synchronized boolean stop(ManagedProcess process) {
        running.remove(process);
        return process.stop(STOP_GRACE);
    }

    /** Stops the given processes now, the last started first (e.g. the ones a part of the stack started). */
    public void stopNewestFirst(List<ManagedProcess> processes) {
        for (int i = processes.size() - 1; i >= 0; i--) {
            stop(processes.get(i));
        }
    }

    /** The processes that have ended although nobody asked them to. */
    public synchronized List<ManagedProcess> unexpectedlyEnded() {
        return running.stream().filter(p -> !p.isAlive()).toList();
    }

    @Override
    public synchronized void close() {
        while (!running.isEmpty()) {
            ManagedProcess process = running.pop();
            if (!process.stop(STOP_GRACE)) {
                System.err.println("sightline local: " + process + " did not stop within " + STOP_GRACE.toSeconds()
                        + " s and was killed");
            }
        }
    }
}
