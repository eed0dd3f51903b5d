package io.sightline.testsupport.tool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real command-line tool a test runs. When it is missing, {@link #require()} skips the test locally with the
 * install command, and fails it when {@code CI=true} (any case), where the tests that need it must run.
 */
public final class Tool {

    private static final String DEBIAN = "apt-get install -y --no-install-recommends ";

    public static final Tool PROMETHEUS = new Tool(DEBIAN + "prometheus", "prometheus");
    public static final Tool PROMTOOL = new Tool(DEBIAN + "prometheus", "promtool");
    /** Debian installs the binary as prometheus-alertmanager, the upstream tarball as alertmanager. */
    public static final Tool ALERTMANAGER =
            new Tool(DEBIAN + "prometheus-alertmanager", "prometheus-alertmanager", "alertmanager");

    public static final Tool AMTOOL = new Tool(DEBIAN + "prometheus-alertmanager", "amtool");
    public static final Tool KUBECTL = new Tool(
            "see https://kubernetes.io/docs/tasks/tools/ (it renders kustomizations offline with `kubectl kustomize`)",
            "kubectl");

    private static final long RUN_TIMEOUT_SECONDS = 120;

    private final List<String> names;
    private final String installHint;
    private final Map<String, String> environment;

    /** @param names the binary's names, in order of preference (a tool may be packaged under several) */
    public Tool(String installHint, String... names) {
        this(installHint, List.of(names), System.getenv());
    }

    private Tool(String installHint, List<String> names, Map<String, String> environment) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a tool needs at least one name");
        }
        this.installHint = installHint;
        this.names = names;
        this.environment = environment;
    }

    /** The same tool looked up with other {@code PATH} and {@code CI} values (for testing the helper itself). */
    Tool withEnvironment(Map<String, String> environment) {
        return new Tool(installHint, names, environment);
    }

    /** The tool's name in messages. */
    public String name() {
        return String.join(" or ", names);
    }

    /** The tool's path, if it is installed. */
    public Optional<Path> locate() {
        return Executables.find(environment.get("PATH"), names.toArray(String[]::new));
    }

    /** The tool's path; skips the calling test (fails it when {@code CI=true}) when the tool is not installed. */
    public Path require() {
        Optional<Path> found = locate();
        if (found.isPresent()) {
            return found.get();
        }
        String message = name() + " is not on the PATH; install it with: " + installHint;
        if ("true".equalsIgnoreCase(environment.get("CI"))) {
            Assertions.fail(message + " (CI=true: the tests that need it must run, not be skipped)");
        }
        return Assumptions.abort(message + " (skipped locally; this fails when CI=true)");
    }

    /** Runs the tool (after {@link #require()}) to its end and returns its exit code and combined output. */
    public Result run(Path workDir, String... args) {
        List<String> commandLine = commandLine(args);
        try {
            Process process = new ProcessBuilder(commandLine)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            // read before waiting: a full pipe would block the tool
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                Assertions.fail(String.join(" ", commandLine) + " did not finish within " + RUN_TIMEOUT_SECONDS + " s");
            }
            return new Result(String.join(" ", commandLine), process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + commandLine, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + commandLine, e);
        }
    }

    /** Starts the tool (after {@link #require()}) as a server writing its output to {@code log}; see {@link #stop}. */
    public Process start(Path workDir, Path log, String... args) {
        List<String> commandLine = commandLine(args);
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

    /** Stops a process started by {@link #start}: politely (SIGTERM) first, then forcibly. */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private List<String> commandLine(String... args) {
        List<String> commandLine = new ArrayList<>();
        commandLine.add(require().toString());
        commandLine.addAll(List.of(args));
        return commandLine;
    }

    @Override
    public String toString() {
        return name();
    }

    /** What a tool run produced. */
    public record Result(String commandLine, int exitCode, String output) {

        /** The output; fails the test with the command and its output when the exit code is not 0. */
        public String assertSuccess() {
            if (exitCode != 0) {
                Assertions.fail(commandLine + " exited with " + exitCode + ":\n" + output);
            }
            return output;
        }
    }
}
