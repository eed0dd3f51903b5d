package io.sightline.local.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the launcher: its name in messages, and the file that holds its stdout and stderr
 * (so a failed start can show the user why).
 */
public final class ManagedProcess {

    private final String name;
    private final Process process;
    private final Path outputFile;

    ManagedProcess(String name, Process process, Path outputFile) {
        this.name = name;
        this.process = process;
        this.outputFile = outputFile;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path outputFile() {
        return outputFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Exit code, or -1 while it still runs. */
    public int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /**
     * Asks the process to stop (SIGTERM, so Spring Boot, Prometheus and the sidecar shut down gracefully and
     * flush), then kills it and any children it left behind if it has not ended within {@code grace}.
     *
     * @return true when it ended by itself within the grace period
     */
    public boolean stop(Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        boolean graceful = waitFor(grace);
        if (!graceful) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(5));
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        return graceful;
    }

    /** The last lines of the process output, for error messages. */
    public String outputTail(int lines) {
        try {
            List<String> all = Files.readAllLines(outputFile, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(output unavailable: " + e.getMessage() + ")";
        }
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
