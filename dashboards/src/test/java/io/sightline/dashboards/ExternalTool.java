package io.sightline.dashboards;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.fail;

/** Finds the real binaries some tests run; skips those tests locally when a binary is missing, fails in CI. */
final class ExternalTool {

    private ExternalTool() {}

    static Path require(String command, String howToInstall) {
        Optional<Path> found = onPath(command);
        if (found.isPresent()) {
            return found.get();
        }
        String message = "'" + command + "' is not on PATH; install it with: " + howToInstall;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + " (CI=true, so this test may not be skipped)");
        }
        return Assumptions.abort(message + " (skipped locally; fails when CI=true)");
    }

    static Optional<Path> onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, command))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
