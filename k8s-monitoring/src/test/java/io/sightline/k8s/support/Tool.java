package io.sightline.k8s.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.fail;

/**
 * An external command-line tool the tests run for real (kubectl, promtool, amtool, prometheus, alertmanager, sh).
 * A missing tool skips the test with the install command locally and fails it when {@code CI=true}.
 */
public enum Tool {
    KUBECTL("kubectl", "install kubectl (it renders kustomizations offline with `kubectl kustomize`)"),
    PROMTOOL("promtool", "apt-get install -y --no-install-recommends prometheus"),
    PROMETHEUS("prometheus", "apt-get install -y --no-install-recommends prometheus"),
    AMTOOL("amtool", "apt-get install -y --no-install-recommends prometheus-alertmanager"),
    /** Debian's name for the alertmanager binary. */
    ALERTMANAGER("prometheus-alertmanager", "apt-get install -y --no-install-recommends prometheus-alertmanager"),
    /** A POSIX shell, for the scripts the manifests run in busybox images. */
    SH("sh", "install a POSIX shell (dash or busybox)");

    private static final long TIMEOUT_SECONDS = 120;

    private final String command;
    private final String installHint;

    Tool(String command, String installHint) {
        this.command = command;
        this.installHint = installHint;
    }

    /** The tool's path; skips the calling test (or fails it in CI) when the tool is not installed. */
    public Path require() {
        Optional<Path> found = locate();
        if (found.isEmpty()) {
            String message = command + " is not on the PATH: " + installHint;
            if ("true".equals(System.getenv("CI"))) {
                fail(message + " (CI=true: the tests that need it must run)");
            }
            Assumptions.abort(message + "; skipping (this fails when CI=true)");
        }
        return found.get();
    }

    /** Runs the tool (after {@link #require()}) and returns its exit code and combined output. */
    public Result run(Path workDir, String... args) {
        List<String> commandLine = new ArrayList<>();
        commandLine.add(require().toString());
        commandLine.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(commandLine)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            // read before waiting: a full pipe would block the tool
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", commandLine) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(String.join(" ", commandLine), process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + commandLine, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + commandLine, e);
        }
    }

    /** Starts the tool as a server process writing its output to {@code log}; the caller stops it. */
    public Process start(Path workDir, Path log, String... args) {
        List<String> commandLine = new ArrayList<>();
        commandLine.add(require().toString());
        commandLine.addAll(List.of(args));
        try {
            return new ProcessBuilder(commandLine)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + commandLine, e);
        }
    }

    /** Stops a process started by {@link #start}: politely first, then forcibly. */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private Optional<Path> locate() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** What a tool run produced. */
    public record Result(String commandLine, int exitCode, String output) {

        /** The output, failing the test with the command and its output when the exit code is not 0. */
        public String assertSuccess() {
            if (exitCode != 0) {
                fail(commandLine + " exited with " + exitCode + ":\n" + output);
            }
            return output;
        }
    }
}
